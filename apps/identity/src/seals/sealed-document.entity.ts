import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A document sealed with a department's electronic seal (电子印章): what public verification answers from. */
@Entity('sealed_documents')
export class SealedDocument {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'document_code', type: 'varchar', length: 64, unique: true })
  documentCode!: string;

  @Index('ix_sealed_documents_sha256')
  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'org_code', type: 'varchar', length: 18 })
  orgCode!: string;

  @Column({ name: 'cert_serial', type: 'varchar', length: 40 })
  certSerial!: string;

  @Column({ name: 'sealed_by', type: 'varchar', length: 64 })
  sealedBy!: string;

  @Column({ name: 'sealed_by_label', type: 'varchar', length: 255 })
  sealedByLabel!: string;

  @Column({ name: 'sealed_at', type: 'timestamptz' })
  sealedAt!: Date;

  @Column({ type: 'text' })
  jws!: string;
}
