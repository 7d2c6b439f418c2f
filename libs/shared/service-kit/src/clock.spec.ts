import { AdjustableClock, SystemClock } from './clock';

describe('clocks', () => {
  it('the system clock reads the time', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('the adjustable clock starts at the system time and only moves forward', () => {
    // given
    const clock = new AdjustableClock();
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(50);
    // when
    clock.advance(3_600_000);
    // then
    expect(clock.offset).toBe(3_600_000);
    expect(clock.now().getTime() - Date.now()).toBeGreaterThan(3_599_000);
    expect(() => clock.advance(-1)).toThrow('only moves forward');
    expect(() => clock.advance(Number.NaN)).toThrow('only moves forward');
  });

  it('sets the adjustable clock to a later instant, never an earlier one', () => {
    const clock = new AdjustableClock();
    const later = new Date(Date.now() + 86_400_000);
    clock.set(later);
    expect(Math.abs(clock.now().getTime() - later.getTime())).toBeLessThan(50);
    expect(() => clock.set(new Date(Date.now() - 1000))).toThrow('only moves forward');
  });
});
