import { type ExecutionContext, SetMetadata, UseGuards, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { AppError } from '@gov/service-kit';
import { AuthErrorCode, AuthErrorMessage } from './auth.errors';
import { AuthGuard } from './auth.guard';
import type { Principal } from './principal';
import type { Role } from './roles';

import { ROLES_METADATA } from './auth.guard';
export const ROLES_KEY = ROLES_METADATA;

/** Only principals holding at least one of these roles pass. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/**
 * The guard plus (optionally) a role requirement, in one decorator. With no roles, any valid access token passes.
 * The lint rule `gov/controller-requires-guard` accepts it on a class or a handler.
 */
export function Authenticated(...roles: Role[]): MethodDecorator & ClassDecorator {
  const decorators: Array<ClassDecorator | MethodDecorator> = [UseGuards(AuthGuard), ApiBearerAuth()];
  if (roles.length > 0) decorators.push(Roles(...roles));
  return applyDecorators(...decorators);
}

export interface RequestWithPrincipal {
  principal?: Principal;
}

/** The verified caller. Only valid behind the guard; throws 401 if none (never returns undefined). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const req = ctx.switchToHttp().getRequest<RequestWithPrincipal>();
  if (!req.principal) throw AppError.unauthorized(AuthErrorCode.MissingToken, AuthErrorMessage.MissingToken);
  return req.principal;
});
