import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Principal } from '@gov/auth';
import { AppError } from '@gov/service-kit';
import type { Request } from 'express';
import { type Observable, catchError, throwError } from 'rxjs';
import { AuditService } from './audit.service';

/**
 * Authorisation failures raised inside handlers (object-level checks, "not your delegation", ...) are audited
 * like the guard's own refusals, so every 403 leaves a record.
 */
@Injectable()
export class AuthzAuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((e: unknown) => {
        if (e instanceof AppError && e.status === 403 && context.getType() === 'http') {
          const req = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
          this.audit.recordDenial({
            actor: req.principal?.actor?.subject ?? req.principal?.subject ?? null,
            actorLabel: req.principal?.name ?? null,
            action: 'authz.denied',
            target: `${req.method} ${req.path}`,
            outcome: 'denied',
            ip: req.ip,
            details: { code: e.code, status: 403 },
          });
        }
        return throwError(() => e);
      }),
    );
  }
}
