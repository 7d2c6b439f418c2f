import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Envelope for private keys at rest: AES-256-GCM under a key derived (HKDF-SHA256) from IDENTITY_KEK.
 * The associated data binds a ciphertext to its purpose (e.g. "signing-key:<kid>"), so one key's blob
 * cannot be swapped in for another's.
 */
export class KeyEncryption {
  private readonly key: Buffer;

  constructor(kek: string) {
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(kek, 'utf8'), Buffer.from('gov-identity'), Buffer.from('private-keys-v1'), 32));
  }

  encrypt(plaintext: Buffer | string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext) : plaintext), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
  }

  decrypt(blob: string, aad: string): Buffer {
    const [version, iv, tag, ct] = blob.split(':');
    if (version !== 'v1' || !iv || !tag || !ct) throw new Error('unknown key envelope');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]);
  }
}
