import { KeyEncryption } from './kek';
import { hashPassword, verifyPassword } from './password';

describe('KeyEncryption (private keys at rest)', () => {
  it('round-trips and binds the ciphertext to its purpose', () => {
    // given
    const kek = new KeyEncryption('x'.repeat(40));
    // when
    const blob = kek.encrypt('-----BEGIN PRIVATE KEY-----', 'signing-key:k1');
    // then
    expect(kek.decrypt(blob, 'signing-key:k1').toString()).toBe('-----BEGIN PRIVATE KEY-----');
    expect(() => kek.decrypt(blob, 'signing-key:k2')).toThrow();
    expect(() => new KeyEncryption('y'.repeat(40)).decrypt(blob, 'signing-key:k1')).toThrow();
  });

  it('detects a modified ciphertext', () => {
    const kek = new KeyEncryption('x'.repeat(40));
    const [v, iv, tag, ct] = kek.encrypt('secret', 'a').split(':');
    const flipped = Buffer.from(ct, 'base64');
    flipped[0] = flipped[0] ^ 1;
    expect(() => kek.decrypt([v, iv, tag, flipped.toString('base64')].join(':'), 'a')).toThrow();
  });
});

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse', 10);
    expect(stored.startsWith('scrypt$10$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsE', stored)).toBe(false);
  });

  it('salts: the same password hashes differently', async () => {
    expect(await hashPassword('pw', 10)).not.toBe(await hashPassword('pw', 10));
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('pw', 'md5$abc')).toBe(false);
  });
});
