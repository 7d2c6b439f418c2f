import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows up to the limit per window, then says how long to wait, then resets', () => {
    // given
    const rl = new RateLimiter(3, 60_000);
    const t0 = 1_000_000;
    // when / then
    expect([rl.hit('ip', t0), rl.hit('ip', t0 + 1), rl.hit('ip', t0 + 2)]).toEqual([0, 0, 0]);
    expect(rl.hit('ip', t0 + 30_000)).toBe(30);
    expect(rl.hit('other', t0 + 30_000)).toBe(0);
    expect(rl.hit('ip', t0 + 60_000)).toBe(0);
  });
});
