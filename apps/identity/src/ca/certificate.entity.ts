import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** The root and issuing CA: certificate and KEK-encrypted private key. */
@Entity('ca_authorities')
export class CaAuthority {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  name!: 'root' | 'issuing';

  @Column({ name: 'cert_pem', type: 'text' })
  certPem!: string;

  @Column({ name: 'private_key_enc', type: 'text' })
  privateKeyEnc!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export type CertificateKind = 'officer' | 'seal';
export type CertificateStatus = 'good' | 'revoked';

@Entity('certificates')
export class IssuedCertificate {
  /** Hex serial number. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  serial!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: CertificateKind;

  @Index('ix_certificates_user')
  @Column({ name: 'subject_user_id', type: 'uuid', nullable: true })
  subjectUserId!: string | null;

  @Index('ix_certificates_org')
  @Column({ name: 'org_code', type: 'varchar', length: 18 })
  orgCode!: string;

  @Column({ name: 'subject_dn', type: 'text' })
  subjectDn!: string;

  @Column({ name: 'cert_pem', type: 'text' })
  certPem!: string;

  /** Seal keys are held by identity (server-side sealing), encrypted with the KEK. Officer keys never are. */
  @Column({ name: 'private_key_enc', type: 'text', nullable: true })
  privateKeyEnc!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'good' })
  status!: CertificateStatus;

  @Column({ name: 'not_before', type: 'timestamptz' })
  notBefore!: Date;

  @Column({ name: 'not_after', type: 'timestamptz' })
  notAfter!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revocation_reason', type: 'varchar', length: 32, nullable: true })
  revocationReason!: string | null;

  @Column({ name: 'replaces_serial', type: 'varchar', length: 40, nullable: true })
  replacesSerial!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
