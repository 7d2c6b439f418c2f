import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, IS_PUBLIC } from '@gov/service-kit';
import type { Request } from 'express';
import { AuthErrorCode, AuthErrorMessage } from './auth.errors';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options';
import type { Principal } from './principal';
import type { Role } from './roles';
import { SecurityEvents } from './security-events/security-events';
import { TokenVerifier } from './token-verifier';

export const ROLES_METADATA = 'gov:roles';

/**
 * Deny by default: every route needs a valid access token unless it is marked @Public(); routes with @Roles()
 * also need one of those roles. Refusals are logged, recorded as security events and reported to `onDenied`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('AuthGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    @Optional() private readonly events?: SecurityEvents,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return false;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    try {
      // The guard may run twice (global and @Authenticated): verify once per request.
      req.principal ??= await this.verifier.verify(bearerToken(req));
      const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_METADATA, targets);
      if (roles && roles.length > 0 && !roles.some((r) => req.principal?.roles.includes(r))) {
        throw AppError.forbidden(AuthErrorCode.InsufficientRole, `${AuthErrorMessage.InsufficientRole} Required: one of ${roles.join(', ')}.`);
      }
      return true;
    } catch (e) {
      if (e instanceof AppError) this.report(req, e);
      throw e;
    }
  }

  private report(req: Request & { principal?: Principal }, e: AppError): void {
    const event = {
      code: e.code,
      status: e.status,
      method: req.method,
      path: req.path,
      ip: req.ip,
      subject: req.principal?.subject,
      reason: e.message,
    };
    this.logger.warn(`auth refused ${event.status} ${event.code} ${event.method} ${event.path}`);
    // For the platform audit trail (off the critical path; never throws).
    this.events?.refusal(req, { status: e.status, code: e.code, reason: e.message });
    try {
      this.options.onDenied?.(event);
    } catch {
      // A failing audit sink must not turn a 401 into a 500; the sink logs its own failures.
    }
  }
}

export function bearerToken(req: Request): string {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || header.length === 0) {
    throw AppError.unauthorized(AuthErrorCode.MissingToken, AuthErrorMessage.MissingToken);
  }
  const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
  if (!match?.[1]) throw AppError.unauthorized(AuthErrorCode.MalformedToken, AuthErrorMessage.MalformedToken);
  return match[1];
}
