import { hkdfSync } from 'node:crypto';
import { KeyEnvelope } from '@gov/service-kit';

/**
 * Envelope for private keys at rest: the kit's AES-256-GCM envelope under a key derived (HKDF-SHA256) from
 * IDENTITY_KEK (a passphrase, not raw key bytes). The associated data binds a ciphertext to its purpose (e.g.
 * "signing-key:<kid>"), so one key's blob cannot be swapped in for another's.
 */
export class KeyEncryption extends KeyEnvelope {
  constructor(kek: string) {
    super(Buffer.from(hkdfSync('sha256', Buffer.from(kek, 'utf8'), Buffer.from('gov-identity'), Buffer.from('private-keys-v1'), 32)));
  }
}
