import { type CallHandler, type ExecutionContext, HttpException, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '@gov/service-kit';
import type { Request } from 'express';
import { type Observable, catchError, throwError } from 'rxjs';
import type { Principal } from '../principal';
import { SecurityEvents } from './security-events';

export const AUDITS_OWN_REFUSALS = 'gov:auditsOwnRefusals';

/**
 * Marks a handler (or controller) that records its own 401/403 outcomes in richer terms (identity's login,
 * refresh and client-credentials failures), so the kit does not record them a second time.
 */
export const AuditsOwnRefusals = (): MethodDecorator & ClassDecorator => SetMetadata(AUDITS_OWN_REFUSALS, true);

/**
 * 401s and 403s thrown inside handlers (object-level checks: "not your application", "outside your
 * organisation") become security events like the guard's own refusals, so every refusal leaves a record.
 */
@Injectable()
export class RefusalAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly events: SecurityEvents,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    return next.handle().pipe(
      catchError((e: unknown) => {
        const refusal = asRefusal(e);
        if (refusal && !this.reflector.getAllAndOverride<boolean | undefined>(AUDITS_OWN_REFUSALS, [context.getHandler(), context.getClass()])) {
          this.events.refusal(context.switchToHttp().getRequest<Request & { principal?: Principal }>(), refusal);
        }
        return throwError(() => e);
      }),
    );
  }
}

function asRefusal(e: unknown): { status: number; code: string; reason: string } | undefined {
  if (e instanceof AppError) return e.status === 401 || e.status === 403 ? { status: e.status, code: e.code, reason: e.message } : undefined;
  if (e instanceof HttpException && (e.getStatus() === 401 || e.getStatus() === 403)) return { status: e.getStatus(), code: e.name, reason: e.message };
  return undefined;
}
