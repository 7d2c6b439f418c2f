import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Envelope for secrets at rest (private keys): AES-256-GCM under a 32-byte key-encryption key, a fresh 96-bit IV
 * per blob, blob `v1:<iv>:<tag>:<ciphertext>` (base64 parts). The associated data binds a ciphertext to its purpose
 * (e.g. "signing-key:<serial>"), so one key's blob cannot be swapped in for another's.
 */
export class KeyEnvelope {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('KeyEnvelope: the key-encryption key must be 32 bytes');
  }

  /** A KEK given as base64 text (32 bytes once decoded), as secret configuration holds it. */
  static fromBase64(kek: string): KeyEnvelope {
    const key = Buffer.from(kek, 'base64');
    if (key.length !== 32 || key.toString('base64') !== kek.trim()) throw new Error('KeyEnvelope: the key-encryption key must be 32 bytes, base64');
    return new KeyEnvelope(key);
  }

  encrypt(plaintext: Buffer | string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext) : plaintext), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
  }

  /** Throws when the blob was altered, is bound to another purpose, or was sealed under another key. */
  decrypt(blob: string, aad: string): Buffer {
    const [version, iv, tag, ct] = blob.split(':');
    if (version !== 'v1' || !iv || !tag || !ct) throw new Error('unknown key envelope');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]);
  }
}

/** True when the text is base64 of exactly 32 bytes (a KEK setting). */
export function isBase64Key32(v: string): boolean {
  const key = Buffer.from(v, 'base64');
  return key.length === 32 && key.toString('base64') === v.trim();
}
