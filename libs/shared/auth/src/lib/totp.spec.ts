import { base32Decode, base32Encode, generateTotp, hotp, verifyTotp } from './totp';

const RFC_SECRET = Buffer.from('12345678901234567890');

describe('TOTP', () => {
  it('matches the RFC 6238 SHA-1 test vectors', () => {
    // given the RFC secret and its published times
    const vectors: Array<[number, string]> = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1234567890, '89005924'],
      [20000000000, '65353130'],
    ];
    for (const [t, expected] of vectors) {
      // when / then
      expect(hotp(RFC_SECRET, Math.floor(t / 30), 8)).toBe(expected);
    }
  });

  it('round-trips base32', () => {
    const data = Buffer.from('any bytes \u00ff\u0000 here');
    expect(base32Decode(base32Encode(data)).equals(data)).toBe(true);
    expect(base32Encode(RFC_SECRET)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it('accepts the current code and one step of drift, and reports the matching step', () => {
    // given
    const secret = base32Encode(RFC_SECRET);
    const now = 1_700_000_000_000;
    // when
    const previous = generateTotp(secret, now - 30_000);
    // then
    expect(verifyTotp(secret, generateTotp(secret, now), now)).toBe(Math.floor(now / 30_000));
    expect(verifyTotp(secret, previous, now)).toBe(Math.floor(now / 30_000) - 1);
  });

  it('refuses stale, malformed and wrong codes', () => {
    const secret = base32Encode(RFC_SECRET);
    const now = 1_700_000_000_000;
    expect(verifyTotp(secret, generateTotp(secret, now - 120_000), now)).toBeUndefined();
    expect(verifyTotp(secret, '12345', now)).toBeUndefined();
    expect(verifyTotp(secret, 'abcdef', now)).toBeUndefined();
  });
});
