import type { JWTVerifyGetKey } from 'jose';
import type { RateLimitPolicies } from './rate-limit/rate-limit.guard';
import type { RateLimitStore } from './rate-limit/rate-limit.store';
import type { SecurityEventSink } from './security-events/security-events';

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

/** What a refusal looked like, handed to `onDenied` (identity writes it to its audit trail; others log it). */
export interface AuthDeniedEvent {
  code: string;
  status: number;
  method: string;
  path: string;
  ip?: string;
  subject?: string;
  reason: string;
}

export interface AuthOptions {
  /** Expected `iss`, e.g. http://127.0.0.1:3001 */
  issuer: string;
  /** Expected `aud`, e.g. gov-platform */
  audience: string;
  /** Where the identity service publishes its keys; ignored when `keyResolver` is given. */
  jwksUrl?: string;
  /** In-process key lookup (the identity service itself, and tests with an in-memory JWKS). */
  keyResolver?: JWTVerifyGetKey;
  /** Pinned signature algorithms. Default: EdDSA only. */
  algorithms?: string[];
  /** Allowed clock skew. Default 5 s. */
  clockToleranceSeconds?: number;
  /** Refuse tokens issued longer ago than this, whatever their exp says. Default 1 h. */
  maxTokenAgeSeconds?: number;
  /** An unknown kid triggers at most one JWKS refetch per this period. Default 30 s. */
  jwksCooldownMs?: number;
  /** A fetched JWKS is trusted for this long before a refetch. Default 60 s. */
  jwksCacheMaxAgeMs?: number;
  /**
   * How many verified tokens to remember (by their exact string) so a client's repeated requests skip the
   * signature check. Expiry is still checked on every hit. 0 disables. Default 10000.
   */
  verifiedCacheSize?: number;
  /** Register the guard as APP_GUARD so every route is deny-by-default. Default true. */
  global?: boolean;
  onDenied?: (event: AuthDeniedEvent) => void;
  /**
   * Where security events (refusals, administrative changes, personal-data exports) go: `'outbox'` writes them
   * to the service's outbox for the platform audit trail (needs the service's TypeORM DataSource and its
   * messaging tables), or a sink of the service's own (identity appends to its audit). Default: discarded.
   */
  securityEvents?: 'outbox' | SecurityEventSink;
  /** Rate-limit budgets by policy name (`@RateLimit(name)`; `public` applies to every other `@Public()` route). */
  rateLimits?: RateLimitPolicies;
  /** Where the counters live: `'postgres'` (the service's DataSource, table `rate_limits`) or a store of its own. */
  rateLimitStore?: 'postgres' | RateLimitStore;
}

export const AUTH_DEFAULTS = {
  algorithms: ['EdDSA'],
  clockToleranceSeconds: 5,
  maxTokenAgeSeconds: 3600,
  jwksCooldownMs: 30_000,
  jwksCacheMaxAgeMs: 60_000,
  verifiedCacheSize: 10_000,
} as const;
