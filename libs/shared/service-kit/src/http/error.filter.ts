import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { RequestContext } from '../logging/context';
import { AppError } from './app-error';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
  traceId?: string;
}

/** Maps every error to one JSON shape. Unknown errors become 500 with no internals leaked, and are logged. */
@Catch()
export class AllErrorsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    body.traceId = RequestContext.current()?.traceId;
    if (body.statusCode >= 500) this.logger.error({ err: exception }, 'request failed');
    else this.logger.info({ statusCode: body.statusCode, error: body.error, reason: body.message }, 'request refused');
    if (!res.headersSent) res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof AppError) {
      return { statusCode: exception.status, error: exception.code, message: exception.message, details: exception.details };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null) {
        const r = response as { message?: unknown; error?: unknown };
        const message = Array.isArray(r.message) ? r.message.join('; ') : typeof r.message === 'string' ? r.message : exception.message;
        return { statusCode: status, error: typeof r.error === 'string' ? r.error : exception.name, message };
      }
      return { statusCode: status, error: exception.name, message: String(response) };
    }
    const parser = bodyParserError(exception);
    if (parser) return parser;
    return { statusCode: 500, error: 'InternalError', message: 'An internal error occurred; it has been logged.' };
  }
}

/** Errors of the body parser (express/body-parser) carry a `type` and a 4xx `status`: report them as such. */
function bodyParserError(e: unknown): ErrorBody | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { type, status } = e as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number' || status < 400 || status > 499) return undefined;
  switch (type) {
    case 'entity.parse.failed':
      return { statusCode: 400, error: 'MalformedBody', message: 'The request body is not valid JSON.' };
    case 'entity.too.large':
      return { statusCode: 413, error: 'BodyTooLarge', message: 'The request body is too large; send large files by reference or hash.' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { statusCode: 415, error: 'UnsupportedEncoding', message: 'Send the body as UTF-8 JSON.' };
    default:
      return { statusCode: status, error: 'BadRequestBody', message: `The request body could not be read (${type}).` };
  }
}
