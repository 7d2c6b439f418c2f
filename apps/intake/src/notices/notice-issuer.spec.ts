import { retryDelayMs } from '../notifications/notification-dispatcher';
import { newVerificationCode, sealRetryDelayMs } from './notice-issuer.service';

describe('notice issuing helpers', () => {
  it('makes verification codes of 16 Crockford base32 characters in groups of four, all different', () => {
    // when
    const codes = Array.from({ length: 500 }, () => newVerificationCode());
    // then
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('backs off sealing retries from 10 s, doubling, to at most 10 minutes', () => {
    expect([1, 2, 3].map(sealRetryDelayMs)).toEqual([10_000, 20_000, 40_000]);
    expect(sealRetryDelayMs(30)).toBe(600_000);
  });

  it('backs off delivery retries from 10 s, doubling, to at most 30 minutes', () => {
    expect([1, 2, 3].map(retryDelayMs)).toEqual([10_000, 20_000, 40_000]);
    expect(retryDelayMs(40)).toBe(1_800_000);
  });
});
