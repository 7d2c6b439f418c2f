import type { RateLimitPolicies } from '@gov/auth';
import type { IntakeConfig } from '../config';

/** Intake's own rate-limit policies, by the name routes give in `@RateLimit(...)`. */
export const IntakeRatePolicy = { ConsultationAsk: 'consultation-ask' } as const;

/** Anonymous questions per client address (the kit counts them in the database, shared by replicas). */
export function intakeRateLimits(c: Pick<IntakeConfig, 'CONSULTATION_ASK_RATE_PER_IP' | 'CONSULTATION_ASK_RATE_WINDOW_SECONDS'>): RateLimitPolicies {
  return { [IntakeRatePolicy.ConsultationAsk]: [{ by: 'ip', limit: c.CONSULTATION_ASK_RATE_PER_IP, windowSeconds: c.CONSULTATION_ASK_RATE_WINDOW_SECONDS }] };
}
