import { NOTICE_KINDS, type NoticeKindName } from '@gov/contracts';
import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type NoticeStatus = 'sealing' | 'sealed';

/**
 * A notice issued to an applicant: the rendered PDF and its seal. Recorded as `sealing` (possibly inside the caller's
 * transaction), rendered, then sealed at identity and confirmed `sealed` (never a transaction across a call to
 * identity); the sealer retries whatever is left `sealing`, from the step where it stopped.
 */
@Entity('notices')
@Index('notices_application', ['applicationId'])
@Index('notices_sealing_due', ['nextSealAt'], { where: `status = 'sealing'` })
@Check('notices_kind_check', `kind IN (${NOTICE_KINDS.map((k) => `'${k}'`).join(',')})`)
@Check('notices_status_check', `status IN ('sealing','sealed')`)
export class Notice {
  @PrimaryColumn('uuid') id!: string;
  /** One notice per application and kind (and correction round): issuing again returns it. */
  @Column('text', { name: 'issue_key', unique: true }) issueKey!: string;
  @Column('text') kind!: NoticeKindName;
  @Column('uuid', { name: 'application_id' }) applicationId!: string;
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'applicant_id' }) applicantId!: string;
  @Column('text', { name: 'department_code' }) departmentCode!: string;
  /** The department whose seal the notice carries, resolved at identity when the notice is rendered. */
  @Column('text', { name: 'seal_org_code', nullable: true }) sealOrgCode!: string | null;
  @Column('text', { name: 'seal_org_name', nullable: true }) sealOrgName!: string | null;
  @Column('text', { name: 'document_number', unique: true }) documentNumber!: string;
  @Column('text', { name: 'verification_code', unique: true }) verificationCode!: string;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('timestamptz', { name: 'issued_at' }) issuedAt!: Date;
  /** Rendered once (deterministically from data, issued_at and the codes); null until then. */
  @Column('bytea', { nullable: true }) pdf!: Buffer | null;
  @Column('char', { length: 64, nullable: true }) sha256!: string | null;
  @Column('text') status!: NoticeStatus;
  @Column('text', { name: 'seal_serial', nullable: true }) sealSerial!: string | null;
  @Column('text', { name: 'seal_jws', nullable: true }) sealJws!: string | null;
  @Column('timestamptz', { name: 'sealed_at', nullable: true }) sealedAt!: Date | null;
  @Column('int', { name: 'seal_attempts', default: 0 }) sealAttempts!: number;
  @Column('timestamptz', { name: 'next_seal_at' }) nextSealAt!: Date;
  @Column('text', { name: 'last_error', nullable: true }) lastError!: string | null;
}
