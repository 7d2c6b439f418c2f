import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { AppError } from './app-error';

/** A service's error codes: each stable code name mapped once to the HTTP status it answers with. */
export type ErrorTable = Readonly<Record<string, number>>;

export interface ErrorCodes<T extends ErrorTable> {
  readonly service: string;
  readonly table: T;
  /** Every code by name (`Errors.code.StepNotFound === 'StepNotFound'`), for tests and for `@ApiErrors`. */
  readonly code: { readonly [K in keyof T & string]: K };
  /** The error to throw: its status comes from the table, never from the throw site. */
  error<K extends keyof T & string>(code: K, message: string, details?: Record<string, unknown>): AppError;
  status(code: keyof T & string): number;
}

/**
 * Declares a service's error codes as data. Throw sites name a code and say what to fix; the table alone decides
 * the status, and `@ApiErrors` lists the codes an operation can return in its OpenAPI document.
 */
export function defineErrorCodes<const T extends ErrorTable>(service: string, table: T): ErrorCodes<T> {
  for (const [code, status] of Object.entries(table)) {
    if (!/^[A-Z][A-Za-z0-9]+$/.test(code)) throw new Error(`${service}: error code ${code} must be PascalCase`);
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error(`${service}: error code ${code} maps to ${status}, not an HTTP error status`);
  }
  const code = Object.fromEntries(Object.keys(table).map((k) => [k, k])) as { readonly [K in keyof T & string]: K };
  return {
    service,
    table,
    code,
    error: (c, message, details) => new AppError(table[c], c, message, details),
    status: (c) => table[c],
  };
}

/** The codes the service kit itself answers with, at the request edge and in shared helpers. */
export const KitErrors = defineErrorCodes('service-kit', {
  MalformedBody: 400,
  BadRequestBody: 400,
  NestingTooDeep: 400,
  InvalidText: 400,
  InvalidParameter: 400,
  InvalidValue: 400,
  BodyTooLarge: 413,
  UnsupportedEncoding: 415,
  UnsupportedMediaType: 415,
  ValidationFailed: 400,
  IdempotencyKeyMissing: 400,
  IdempotencyKeyInvalid: 400,
  IdempotencyKeyReused: 409,
  Unauthenticated: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  TooManyRequests: 429,
  InternalError: 500,
  DependencyUnavailable: 503,
});

/** Where @nestjs/swagger keeps a method's responses (its DECORATORS.API_RESPONSE), keyed by status. */
const API_RESPONSE = 'swagger/apiResponse';

interface ErrorResponseEntry {
  description?: string;
  schema?: { properties?: { error?: { enum?: string[] } } };
}

function errorSchema(status: number, list: string[]): Record<string, unknown> {
  return {
    type: 'object',
    required: ['statusCode', 'error', 'message'],
    properties: {
      statusCode: { type: 'integer', example: status },
      error: { type: 'string', enum: list },
      message: { type: 'string' },
      details: { type: 'object' },
      traceId: { type: 'string' },
    },
  };
}

/**
 * Documents the error codes an operation can return, grouped by status, in its OpenAPI responses. Each response's
 * schema is the kit's error body with `error` restricted to the listed codes. Several `@ApiErrors` on one operation
 * (the service's table and the kit's) add up: codes of the same status are listed together, none replaces another.
 */
export function ApiErrors<T extends ErrorTable>(codes: ErrorCodes<T>, ...names: Array<keyof T & string>): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, string[]>();
  for (const name of names) byStatus.set(codes.table[name], [...(byStatus.get(codes.table[name]) ?? []), name]);
  const plain = applyDecorators(...[...byStatus.entries()].map(([status, list]) => ApiResponse({ status, description: list.join(', '), schema: errorSchema(status, list) })));
  return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (!descriptor || typeof descriptor.value !== 'function') return plain(target, key as string | symbol, descriptor as PropertyDescriptor);
    const method = descriptor.value as object;
    const responses = { ...((Reflect.getMetadata(API_RESPONSE, method) as Record<string, ErrorResponseEntry> | undefined) ?? {}) };
    for (const [status, list] of byStatus) {
      const earlier = responses[String(status)]?.schema?.properties?.error?.enum ?? [];
      const merged = [...new Set([...earlier, ...list])];
      responses[String(status)] = { ...responses[String(status)], description: merged.join(', '), schema: errorSchema(status, merged) };
    }
    Reflect.defineMetadata(API_RESPONSE, responses, method);
    return descriptor;
  }) as MethodDecorator & ClassDecorator;
}
