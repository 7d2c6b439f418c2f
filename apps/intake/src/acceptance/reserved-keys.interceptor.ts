import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { IntakeErrors } from '../errors';

/** Keys the JSON layers drop or choke on (class-transformer drops Object.prototype member names, the pipe deletes `__proto__`). */
function isReserved(key: string): boolean {
  return key === 'prototype' || Object.prototype.hasOwnProperty.call(Object.prototype, key);
}

function reservedPath(value: unknown, path: string, depth: number): string | undefined {
  if (depth > 8 || typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = reservedPath(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (isReserved(key)) return here;
    const found = reservedPath(child, here, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses a body holding a key named like an Object.prototype member (`constructor`, `toString`, `__proto__`, ...)
 * anywhere: the DTO transform would silently drop it (or crash on it) instead of refusing it as an unknown field.
 */
@Injectable()
export class ReservedKeysInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const body: unknown = context.switchToHttp().getRequest<Request>().body;
    const field = reservedPath(body, '', 0);
    if (field) {
      const message = `${field} is a reserved name, not a field of this request`;
      throw IntakeErrors.error('ValidationFailed', message, { field, fields: [{ field, rule: 'notReservedName', message }] });
    }
    return next.handle();
  }
}
