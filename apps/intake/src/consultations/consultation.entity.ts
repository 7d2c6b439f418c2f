import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const ASKER_KINDS = ['applicant', 'anonymous'] as const;
export type AskerKind = (typeof ASKER_KINDS)[number];

/**
 * A question (咨询) about a matter and its department's answer. A signed-in applicant's is theirs by token subject; an
 * anonymous asker leaves a contact and reads the answer with the access code given once (only its hash is kept).
 */
@Entity('consultations')
@Index('consultations_department', ['departmentCode', 'askedAt'])
@Index('consultations_due', ['dueAt'])
@Index('consultations_asker', ['askerSubject'])
@Index('consultations_matter', ['matterCode', 'answeredAt'])
@Check('consultations_asker_kind_check', `asker_kind IN ('applicant','anonymous')`)
export class Consultation {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'matter_code' }) matterCode!: string;
  @Column('text', { name: 'matter_name' }) matterName!: string;
  @Column('text', { name: 'department_code' }) departmentCode!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'case_number', nullable: true }) caseNumber!: string | null;
  @Column('text', { name: 'asker_kind' }) askerKind!: AskerKind;
  @Column('text', { name: 'asker_subject', nullable: true }) askerSubject!: string | null;
  @Column('text', { name: 'contact_name', nullable: true }) contactName!: string | null;
  @Column('text', { nullable: true }) contact!: string | null;
  @Column('character', { name: 'access_code_hash', length: 64, nullable: true }) accessCodeHash!: string | null;
  @Column('text') question!: string;
  @Column('timestamptz', { name: 'asked_at' }) askedAt!: Date;
  @Column('timestamptz', { name: 'due_at' }) dueAt!: Date;
  @Column('text', { nullable: true }) answer!: string | null;
  @Column('timestamptz', { name: 'answered_at', nullable: true }) answeredAt!: Date | null;
  @Column('text', { name: 'answered_by', nullable: true }) answeredBy!: string | null;
  @Column('text', { name: 'answered_by_name', nullable: true }) answeredByName!: string | null;
  @Column('boolean', { default: false }) public!: boolean;
  @Column('timestamptz', { name: 'overdue_at', nullable: true }) overdueAt!: Date | null;
}
