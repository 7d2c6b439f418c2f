import { PUBLICITY_CASES, type PublicityCaseName } from '@gov/contracts';
import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One decided case on the public feed (公示, seed 001 text 3 art. 21): recorded with the decision, published at
 * `publish_at` (never later than `due_by`, 5 days after what the article counts from). What the public sees is
 * stored here already masked: no personal ID number, a person's name reduced to the surname.
 */
@Entity('publicity_entries')
@Index('publicity_published', ['publishedAt', 'caseNumber'], { where: 'published_at IS NOT NULL' })
@Index('publicity_due', ['publishAt'], { where: 'published_at IS NULL' })
@Check('publicity_case_check', `publicity_case IN (${PUBLICITY_CASES.map((k) => `'${k}'`).join(',')})`)
@Check('publicity_decision_check', `decision IN ('approved','rejected')`)
export class PublicityEntry {
  @PrimaryColumn('text', { name: 'case_number' }) caseNumber!: string;
  @Column('uuid', { name: 'application_id' }) applicationId!: string;
  @Column('text', { name: 'matter_code' }) matterCode!: string;
  @Column('text', { name: 'matter_name' }) matterName!: string;
  @Column('text', { name: 'department_code' }) departmentCode!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  /** The applicant as published: a legal entity's name and credit code; a person's surname and a masked ID. */
  @Column('text', { name: 'applicant_name' }) applicantName!: string;
  @Column('text', { name: 'applicant_id_masked' }) applicantIdMasked!: string;
  @Column('text') decision!: 'approved' | 'rejected';
  @Column('text', { name: 'publicity_case' }) publicityCase!: PublicityCaseName;
  @Column('text', { name: 'document_number' }) documentNumber!: string;
  @Column('text', { name: 'licence_number', nullable: true }) licenceNumber!: string | null;
  @Column('text', { name: 'licence_type', nullable: true }) licenceType!: string | null;
  @Column('timestamptz', { name: 'decided_at' }) decidedAt!: Date;
  @Column('timestamptz', { name: 'counts_from' }) countsFrom!: Date;
  @Column('timestamptz', { name: 'due_by' }) dueBy!: Date;
  @Column('timestamptz', { name: 'publish_at' }) publishAt!: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt!: Date | null;
}
