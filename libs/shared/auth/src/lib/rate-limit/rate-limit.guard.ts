import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger, Optional, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC, KitErrors } from '@gov/service-kit';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { AUTH_OPTIONS, type AuthOptions } from '../auth.options';
import { RATE_LIMIT_STORE, type RateLimitStore } from './rate-limit.store';

/**
 * One budget of a policy: `limit` requests per `windowSeconds`, counted per client address (`by: 'ip'`) or per
 * account named in a body field (`by: { body: 'username' }`). A policy's account rules are checked before its
 * client rules, and a request refused for its account does not count against its address: one account's
 * failures lock that account, not the office behind the same NAT.
 */
export interface RateRule {
  by: 'ip' | { body: string };
  limit: number;
  windowSeconds: number;
}

export type RateLimitPolicies = Record<string, RateRule[]>;

/** The policy the kit applies to every `@Public()` route without a `@RateLimit` of its own. */
export const PUBLIC_RATE_POLICY = 'public';

export const RATE_LIMIT_POLICY = 'gov:rateLimitPolicy';

/** Applies the named policy (see `AuthOptions.rateLimits`) to a route. */
export const RateLimit = (policy: string): MethodDecorator & ClassDecorator => SetMetadata(RATE_LIMIT_POLICY, policy);

// Operational endpoints polled by probes and scrapers are not limited.
const EXEMPT = /^\/(health(\/|$)|metrics$)/;

/**
 * Refuses requests over their policy's budget with 429, `Retry-After` (seconds) and a message saying when to
 * retry. Counters live in the store (PostgreSQL: shared by replicas). If the store fails, the request passes
 * (logged): a limiter outage must not take the service down.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger('RateLimitGuard');

  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    @Optional() @Inject(RATE_LIMIT_STORE) private readonly store?: RateLimitStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || !this.store || !this.options.rateLimits) return true;
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<Request>();
    let policy = this.reflector.getAllAndOverride<string | undefined>(RATE_LIMIT_POLICY, targets);
    if (!policy && this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) && !EXEMPT.test(req.path)) policy = PUBLIC_RATE_POLICY;
    const rules = policy ? this.options.rateLimits[policy] : undefined;
    if (!policy || !rules || rules.length === 0) return true;
    const ordered = [...rules.filter((r) => r.by !== 'ip'), ...rules.filter((r) => r.by === 'ip')];
    for (const rule of ordered) {
      const subject = subjectOf(rule, req);
      if (subject === undefined) continue;
      let hit;
      try {
        hit = await this.store.hit(`${policy}:${subject.kind}:${subject.key}:${rule.windowSeconds}`, rule.windowSeconds);
      } catch (e) {
        this.logger.warn(`rate limit store unavailable, letting the request pass: ${e instanceof Error ? e.message : String(e)}`);
        return true;
      }
      if (hit.hits > rule.limit) {
        const retryAfter = Math.max(1, Math.ceil((hit.resetAt.getTime() - Date.now()) / 1000));
        context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
        const who = typeof rule.by === 'object' ? `for this ${rule.by.body}` : 'from your address';
        throw KitErrors.error('TooManyRequests', `Too many requests to ${req.method} ${req.path} ${who} (${rule.limit} per ${rule.windowSeconds} s); retry after ${retryAfter} s, at ${hit.resetAt.toISOString()}.`, {
          retryAfterSeconds: retryAfter,
          retryAt: hit.resetAt.toISOString(),
          limit: rule.limit,
          windowSeconds: rule.windowSeconds,
          scope: subject.kind,
        });
      }
    }
    return true;
  }
}

function subjectOf(rule: RateRule, req: Request): { kind: 'client' | 'account'; key: string } | undefined {
  if (rule.by === 'ip') return { kind: 'client', key: req.ip ?? req.socket.remoteAddress ?? 'unknown' };
  const body = req.body as Record<string, unknown> | undefined;
  const value = body && typeof body === 'object' ? body[rule.by.body] : undefined;
  // Without the field the request is refused by validation; accounts are hashed so any string is a safe key.
  if (typeof value !== 'string' || value.length === 0) return undefined;
  return { kind: 'account', key: createHash('sha256').update(value.trim().toLowerCase()).digest('hex').slice(0, 32) };
}
