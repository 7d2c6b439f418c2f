import { PUBLIC_RATE_POLICY, type RateLimitPolicies } from '@gov/auth';
import type { IdentityConfig } from '../config';

/** Identity's rate-limit policies, by the name routes give in `@RateLimit(...)`. */
export const RatePolicy = {
  Login: 'login',
  Refresh: 'refresh',
  Challenge: 'challenge',
  Register: 'register',
  Token: 'token',
  SignatureVerify: 'signature-verify',
  DocumentVerify: 'document-verify',
} as const;

/**
 * Budgets per minute. Account rules (username, client_id) are checked first: a request refused for its
 * account does not use up its address's budget, so one account's failures lock that account (together with
 * the lock after LOGIN_MAX_FAILURES) and not everyone behind the same NAT.
 */
export function identityRateLimits(c: IdentityConfig): RateLimitPolicies {
  // "Per minute" in the key names: the window is RATE_LIMIT_WINDOW_SECONDS (60 unless changed).
  const perMinute = (limit: number) => ({ limit, windowSeconds: c.RATE_LIMIT_WINDOW_SECONDS });
  return {
    [RatePolicy.Login]: [
      { by: { body: 'username' }, ...perMinute(c.LOGIN_RATE_PER_MINUTE_PER_USER) },
      { by: 'ip', ...perMinute(c.LOGIN_RATE_PER_MINUTE_PER_IP) },
    ],
    [RatePolicy.Refresh]: [{ by: 'ip', ...perMinute(c.REFRESH_RATE_PER_MINUTE_PER_IP) }],
    [RatePolicy.Challenge]: [
      { by: { body: 'username' }, ...perMinute(c.CHALLENGE_RATE_PER_MINUTE_PER_USER) },
      { by: 'ip', ...perMinute(c.CHALLENGE_RATE_PER_MINUTE_PER_IP) },
    ],
    [RatePolicy.Register]: [
      { by: { body: 'username' }, ...perMinute(c.REGISTER_RATE_PER_MINUTE_PER_USER) },
      { by: 'ip', ...perMinute(c.REGISTER_RATE_PER_MINUTE_PER_IP) },
    ],
    [RatePolicy.Token]: [
      { by: { body: 'client_id' }, ...perMinute(c.TOKEN_RATE_PER_MINUTE_PER_CLIENT) },
      { by: 'ip', ...perMinute(c.TOKEN_RATE_PER_MINUTE_PER_IP) },
    ],
    [RatePolicy.SignatureVerify]: [{ by: 'ip', ...perMinute(c.SIGNATURE_VERIFY_RATE_PER_MINUTE_PER_IP) }],
    [RatePolicy.DocumentVerify]: [{ by: 'ip', ...perMinute(c.DOCUMENT_VERIFY_RATE_PER_MINUTE_PER_IP) }],
    [PUBLIC_RATE_POLICY]: [{ by: 'ip', ...perMinute(c.PUBLIC_RATE_PER_MINUTE_PER_IP) }],
  };
}
