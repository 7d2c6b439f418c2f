import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Histogram } from 'prom-client';
import { RequestContext, newTraceId, traceIdFromTraceparent } from '../logging/context';

/** Gives each request a trace id (from traceparent or x-request-id when present), logs it and times it. */
export function requestContextMiddleware(logger: Logger, duration: Histogram<'method' | 'route' | 'status'>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers['x-request-id'];
    const traceId =
      traceIdFromTraceparent(req.header('traceparent')) ?? (typeof header === 'string' && /^[\w-]{8,64}$/.test(header) ? header : newTraceId());
    res.setHeader('x-trace-id', traceId);
    const started = process.hrtime.bigint();
    RequestContext.run({ traceId }, () => {
      res.on('finish', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
        duration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
        if (!req.path.startsWith('/health') && req.path !== '/metrics') {
          logger.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'http');
        }
      });
      next();
    });
  };
}
