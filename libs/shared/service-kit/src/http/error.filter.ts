import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { RequestContext } from '../logging/context';
import { AppError } from './app-error';
import { mapDatabaseError } from './database-errors';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
  traceId?: string;
}

/**
 * Maps every error to one JSON shape. Unknown errors become 500 with no internals leaked, and are logged. Errors of
 * the body parser, of URL decoding and database errors caused by the request's data become 4xx.
 */
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
    const database = mapDatabaseError(exception);
    if (database) {
      // The pipes and DTOs should have refused this input: say so in the log, so the missing check gets added.
      this.logger.warn({ err: exception, error: database.code }, 'database refused the request data (no edge check caught it)');
      return { statusCode: database.status, error: database.code, message: database.message, details: database.details };
    }
    return bodyParserError(exception) ?? urlError(exception) ?? { statusCode: 500, error: 'InternalError', message: 'An internal error occurred; it has been logged.' };
  }
}

/**
 * Errors of a body parser (body-parser/raw-body carry a string `type`) or of zlib (a `Z_*` code) are about the body
 * as sent: always 4xx, never 500.
 */
export function bodyParserError(e: unknown): ErrorBody | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { type, code } = e as { type?: unknown; code?: unknown };
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return { statusCode: 400, error: 'MalformedBody', message: 'The compressed request body could not be inflated; send it uncompressed.' };
  }
  if (typeof type !== 'string') return undefined;
  switch (type) {
    case 'entity.parse.failed':
      return { statusCode: 400, error: 'MalformedBody', message: 'The request body is not valid JSON.' };
    case 'entity.too.large':
      return { statusCode: 413, error: 'BodyTooLarge', message: 'The request body is too large; send large files by reference or hash.' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { statusCode: 415, error: 'UnsupportedEncoding', message: 'Send the body as uncompressed UTF-8 JSON.' };
    default:
      return { statusCode: 400, error: 'BadRequestBody', message: `The request body could not be read (${type.replace(/[^\w.-]/g, '').slice(0, 64)}).` };
  }
}

/** A path the router could not percent-decode (`%FF`, an encoded lone surrogate) is the client's error. */
function urlError(e: unknown): ErrorBody | undefined {
  if (!(e instanceof URIError)) return undefined;
  return { statusCode: 400, error: 'InvalidParameter', message: 'The URL contains a percent-encoding that is not valid UTF-8.' };
}
