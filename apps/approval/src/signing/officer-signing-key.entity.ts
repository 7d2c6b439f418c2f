import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * An officer's opinion-signing key (ES256), generated here and certified by identity's CA. The private key is kept
 * encrypted (AES-256-GCM under SIGNING_KEY_KEK, bound to the certificate serial) and never leaves approval. At most one
 * live key per officer; a key whose certificate expired or was revoked is retired and a new one enrolled.
 */
@Entity('officer_signing_keys')
@Unique('officer_signing_keys_serial', ['certSerial'])
@Index('officer_signing_keys_live', ['officerId'], { unique: true, where: 'retired_at IS NULL' })
@Index('officer_signing_keys_enrolment', ['officerId', 'enrolmentKey'], { unique: true, where: 'enrolment_key IS NOT NULL' })
export class OfficerSigningKey {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'officer_id' }) officerId!: string;
  @Column('text', { name: 'cert_serial' }) certSerial!: string;
  @Column('text') subject!: string;
  /** The leaf certificate, then identity's issuing CA (PEM): the JWS's x5c. */
  @Column('text', { name: 'cert_chain_pem' }) certChainPem!: string;
  @Column('text', { name: 'private_key_enc' }) privateKeyEnc!: string;
  @Column('timestamptz', { name: 'not_before' }) notBefore!: Date;
  @Column('timestamptz', { name: 'not_after' }) notAfter!: Date;
  /** The Idempotency-Key of an explicit enrolment (POST /signing-keys); null for one made at a first completion. */
  @Column('text', { name: 'enrolment_key', nullable: true }) enrolmentKey!: string | null;
  /** Why the officer enrolled it (POST /signing-keys `reason`), e.g. a new device or a lost key. */
  @Column('text', { name: 'enrolment_reason', nullable: true }) enrolmentReason!: string | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
  @Column('timestamptz', { name: 'retired_at', nullable: true }) retiredAt!: Date | null;
  @Column('text', { name: 'retired_reason', nullable: true }) retiredReason!: string | null;
}
