import { APPLICANT_KINDS, type ApplicantKind } from '@gov/contracts';
import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A licence intake issued (电子证照) in the licence-and-approval sharing store (证照批文共享): one per case, with the
 * sealed document (`notice_id`, a notice of kind `licence`). Its status is derived: valid, expired (past `valid_to`),
 * revoked (`revoked_at`), or pending while the document is not sealed yet.
 */
@Entity('licences')
@Index('licences_holder', ['holderId', 'issuedAt'])
@Check('licences_holder_kind_check', `holder_kind IN (${APPLICANT_KINDS.map((k) => `'${k}'`).join(',')})`)
export class Licence {
  @PrimaryColumn('text', { name: 'licence_number' }) licenceNumber!: string;
  @Column('text', { name: 'licence_type' }) licenceType!: string;
  @Column('uuid', { name: 'notice_id', unique: true }) noticeId!: string;
  @Column('uuid', { name: 'application_id' }) applicationId!: string;
  @Column('text', { name: 'case_number', unique: true }) caseNumber!: string;
  @Column('text', { name: 'matter_code' }) matterCode!: string;
  @Column('text', { name: 'matter_name' }) matterName!: string;
  @Column('text', { name: 'department_code' }) departmentCode!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'holder_kind' }) holderKind!: ApplicantKind;
  @Column('text', { name: 'holder_id' }) holderId!: string;
  @Column('text', { name: 'holder_name' }) holderName!: string;
  @Column('text') scope!: string;
  @Column('date', { name: 'valid_from' }) validFrom!: string;
  /** null: no expiry. */
  @Column('date', { name: 'valid_to', nullable: true }) validTo!: string | null;
  @Column('timestamptz', { name: 'issued_at' }) issuedAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @Column('text', { name: 'revocation_reason', nullable: true }) revocationReason!: string | null;
  @Column('text', { name: 'revocation_legal_basis', nullable: true }) revocationLegalBasis!: string | null;
  /** The revocation decision (撤销行政许可决定) that revoked it; null when revoked by hand. */
  @Column('text', { name: 'revocation_document_number', nullable: true }) revocationDocumentNumber!: string | null;
  /** `decision:<文号>` or the officer (subject) who revoked it by hand. */
  @Column('text', { name: 'revoked_by', nullable: true }) revokedBy!: string | null;
}

/** A material slot of an application met by a licence of the applicant's own instead of an upload (证照复用). */
@Entity('material_licence_refs')
export class MaterialLicenceRef {
  @PrimaryColumn('uuid', { name: 'application_id' }) applicationId!: string;
  @PrimaryColumn('text', { name: 'slot_key' }) slotKey!: string;
  @Column('text', { name: 'slot_name' }) slotName!: string;
  @Column('text', { name: 'licence_number' }) licenceNumber!: string;
  @Column('text', { name: 'referenced_by' }) referencedBy!: string;
  @Column('timestamptz', { name: 'referenced_at' }) referencedAt!: Date;
}
