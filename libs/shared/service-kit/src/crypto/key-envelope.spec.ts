import { randomBytes } from 'node:crypto';
import { KeyEnvelope, isBase64Key32 } from './key-envelope';

describe('KeyEnvelope (AES-256-GCM under a 32-byte KEK)', () => {
  const kek = randomBytes(32).toString('base64');

  it('round-trips and binds the ciphertext to its purpose and key', () => {
    // given
    const envelope = KeyEnvelope.fromBase64(kek);
    // when
    const blob = envelope.encrypt(Buffer.from('pkcs8-bytes'), 'opinion-signing-key:u1:0A');
    // then
    expect(blob.startsWith('v1:')).toBe(true);
    expect(envelope.decrypt(blob, 'opinion-signing-key:u1:0A').toString()).toBe('pkcs8-bytes');
    expect(() => envelope.decrypt(blob, 'opinion-signing-key:u2:0A')).toThrow();
    expect(() => KeyEnvelope.fromBase64(randomBytes(32).toString('base64')).decrypt(blob, 'opinion-signing-key:u1:0A')).toThrow();
  });

  it('uses a fresh IV each time and detects a modified ciphertext', () => {
    const envelope = KeyEnvelope.fromBase64(kek);
    const a = envelope.encrypt('secret', 'x');
    expect(envelope.encrypt('secret', 'x')).not.toBe(a);
    const [v, iv, tag, ct] = a.split(':');
    const flipped = Buffer.from(ct, 'base64');
    flipped[0] ^= 1;
    expect(() => envelope.decrypt([v, iv, tag, flipped.toString('base64')].join(':'), 'x')).toThrow();
  });

  it('accepts only base64 of exactly 32 bytes as a KEK', () => {
    expect(isBase64Key32(kek)).toBe(true);
    expect(isBase64Key32(randomBytes(16).toString('base64'))).toBe(false);
    expect(isBase64Key32('not base64 at all, but long enough to be 32 chars')).toBe(false);
    expect(() => KeyEnvelope.fromBase64(randomBytes(31).toString('base64'))).toThrow(/32 bytes/);
  });
});
