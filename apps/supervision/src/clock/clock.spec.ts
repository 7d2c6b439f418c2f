import { loadSupervisionConfig } from '../config';
import { AdjustableClock } from './clock';

describe('AdjustableClock', () => {
  it('moves forward by the requested amount', () => {
    const clock = new AdjustableClock();
    const before = clock.now().getTime();
    const after = clock.advance(86_400_000).getTime();
    expect(after - before).toBeGreaterThanOrEqual(86_400_000);
    expect(clock.offset).toBe(86_400_000);
  });

  it('never moves backwards', () => {
    expect(() => new AdjustableClock().advance(-1)).toThrow(/only moves forward/);
  });
});

describe('supervision configuration', () => {
  it('refuses clock control in production', () => {
    expect(() => loadSupervisionConfig({ NODE_ENV: 'production', CLOCK_CONTROL_ENABLED: 'true' })).toThrow(/CLOCK_CONTROL_ENABLED/);
  });

  it('keeps clock control off by default', () => {
    expect(loadSupervisionConfig({}).values.CLOCK_CONTROL_ENABLED).toBe(false);
  });
});
