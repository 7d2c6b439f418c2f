import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt (memory-hard). Stored as "scrypt$<log2N>$<r>$<p>$<salt b64>$<hash b64>" so the cost can be raised later.
const R = 8;
const P = 1;
const KEYLEN = 32;

function derive(password: string, salt: Buffer, log2n: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** log2n;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEYLEN, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, log2n = 15): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, log2n, R, P);
  return ['scrypt', log2n, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, log2n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !log2n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), Number(log2n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Verifies against a throwaway hash so unknown usernames take as long as wrong passwords. */
export function makeDummyHash(log2n: number): Promise<string> {
  return hashPassword(randomBytes(12).toString('hex'), log2n);
}
