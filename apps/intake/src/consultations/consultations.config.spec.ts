import { loadIntakeConfig } from '../config';
import { IntakeRatePolicy, intakeRateLimits } from './rate-limits';

describe('consultation settings', () => {
  it('gives departments 2 working days to answer by default, and a bureau its own period', () => {
    // given / when
    const defaults = loadIntakeConfig({}).values;
    const overridden = loadIntakeConfig({ CONSULTATION_ANSWER_WORKING_DAYS: '4', CONSULTATION_BUREAU_DAYS: '{"449901": 3}' }).values;
    // then
    expect(defaults.CONSULTATION_ANSWER_WORKING_DAYS).toBe(2);
    expect(defaults.CONSULTATION_BUREAU_DAYS).toEqual({});
    expect(overridden.CONSULTATION_ANSWER_WORKING_DAYS).toBe(4);
    expect(overridden.CONSULTATION_BUREAU_DAYS).toEqual({ '449901': 3 });
  });

  it('refuses a bad answer period, naming the variable', () => {
    expect(() => loadIntakeConfig({ CONSULTATION_ANSWER_WORKING_DAYS: '0' })).toThrow(/CONSULTATION_ANSWER_WORKING_DAYS/);
    expect(() => loadIntakeConfig({ CONSULTATION_BUREAU_DAYS: '{"449901": 0}' })).toThrow(/CONSULTATION_BUREAU_DAYS/);
    expect(() => loadIntakeConfig({ CONSULTATION_BUREAU_DAYS: 'three' })).toThrow(/CONSULTATION_BUREAU_DAYS/);
  });

  it('limits anonymous questions per client address as configured', () => {
    // given
    const c = loadIntakeConfig({ CONSULTATION_ASK_RATE_PER_IP: '3', CONSULTATION_ASK_RATE_WINDOW_SECONDS: '600' }).values;
    // when
    const policies = intakeRateLimits(c);
    // then
    expect(policies[IntakeRatePolicy.ConsultationAsk]).toEqual([{ by: 'ip', limit: 3, windowSeconds: 600 }]);
  });
});
