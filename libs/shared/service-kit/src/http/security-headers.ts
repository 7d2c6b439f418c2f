import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { KitErrors } from './error-codes';

const common = {
  frameguard: { action: 'deny' as const },
  referrerPolicy: { policy: 'no-referrer' as const },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  xContentTypeOptions: true,
  xPoweredBy: true,
  crossOriginResourcePolicy: { policy: 'same-origin' as const },
};

/** API responses are JSON: nothing in them may load, run, frame or be framed. */
const apiHeaders = helmet({
  ...common,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"], 'base-uri': ["'none'"], 'form-action': ["'none'"] },
  },
});

/** Swagger UI loads its own scripts and styles (and inline styles) from /docs, and fetches /docs-json. */
const docsHeaders = helmet({
  ...common,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'object-src': ["'none'"],
    },
  },
});

/** Security headers on every response; the relaxed policy only for Swagger UI's pages under /docs. */
export function securityHeadersMiddleware(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const docsPage = req.path === '/docs' || req.path.startsWith('/docs/');
    (docsPage ? docsHeaders : apiHeaders)(req, res, next);
  };
}

/**
 * /metrics behind a bearer token when `token` is set; without one it is open outside production and not served in
 * production (a scrape would reveal routes, timings and process details to anyone).
 */
export function metricsGuardMiddleware(settings: { metricsToken: string | undefined; production: boolean }): RequestHandler {
  const expected = settings.metricsToken ? Buffer.from(`Bearer ${settings.metricsToken}`) : undefined;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path !== '/metrics' && !req.path.startsWith('/metrics/')) {
      next();
      return;
    }
    if (!expected) {
      if (settings.production) next(KitErrors.error('NotFound', 'Metrics are not served without METRICS_TOKEN in production.'));
      else next();
      return;
    }
    const sent = Buffer.from(req.headers.authorization ?? '');
    if (sent.length === expected.length && timingSafeEqual(sent, expected)) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    next(KitErrors.error('Unauthenticated', 'Send the metrics token as Authorization: Bearer <METRICS_TOKEN>.'));
  };
}
