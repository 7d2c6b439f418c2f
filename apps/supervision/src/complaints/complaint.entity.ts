import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

export const COMPLAINT_STAGES = ['registered', 'assigned', 'investigating', 'concluded', 'replied'] as const;
export type ComplaintStage = (typeof COMPLAINT_STAGES)[number];

/** A complaint (投诉举报, seed 004 art. 12) and where it stands in the supervision office's flow. */
@Entity('complaints')
@Index('complaints_tracking_code', ['trackingCode'], { unique: true })
@Index('complaints_department', ['departmentCode', 'filedAt'])
@Index('complaints_stage_due', ['stageDeadline'], { where: 'stage_deadline IS NOT NULL' })
export class ComplaintEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'tracking_code' }) trackingCode!: string;
  @Column('text', { name: 'subject_kind' }) subjectKind!: 'case' | 'officer' | 'department';
  @Column('text', { name: 'case_number', nullable: true }) caseNumber!: string | null;
  @Column('text', { name: 'officer_id', nullable: true }) officerId!: string | null;
  @Column('text', { name: 'department_code', nullable: true }) departmentCode!: string | null;
  @Column('text') content!: string;
  @Column('text', { name: 'complainant_kind' }) complainantKind!: 'applicant' | 'anonymous';
  /** The applicant's user id when filed with their token; null when anonymous. */
  @Column('text', { name: 'applicant_subject', nullable: true }) applicantSubject!: string | null;
  @Column('text', { nullable: true }) contact!: string | null;
  @Column('text') stage!: ComplaintStage;
  @Column('timestamptz', { name: 'stage_deadline', nullable: true }) stageDeadline!: Date | null;
  @Column('text', { nullable: true }) assignee!: string | null;
  @Column('text', { nullable: true }) conclusion!: string | null;
  @Column('boolean', { nullable: true }) substantiated!: boolean | null;
  @Column('text', { nullable: true }) reply!: string | null;
  @Column('timestamptz', { name: 'filed_at' }) filedAt!: Date;
  @Column('int', { default: 1 }) version!: number;
}

/** Each stage a complaint reached, who moved it there, and the deadline of the next. */
@Entity('complaint_stages')
@Index('complaint_stages_complaint', ['complaintId', 'at'])
export class ComplaintStageEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id!: string;
  @Column('uuid', { name: 'complaint_id' }) complaintId!: string;
  @Column('text') stage!: ComplaintStage;
  @Column('timestamptz') at!: Date;
  @Column('timestamptz', { nullable: true }) deadline!: Date | null;
  @Column('text', { nullable: true }) actor!: string | null;
  @Column('text', { nullable: true }) note!: string | null;
}

/** A complaint stage left past its deadline, escalated once (append-only). */
@Entity('complaint_escalations')
@Unique('complaint_escalations_complaint_id_stage_key', ['complaintId', 'stage'])
export class ComplaintEscalationEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'complaint_id' }) complaintId!: string;
  @Column('text') stage!: ComplaintStage;
  @Column('timestamptz') deadline!: Date;
  @Column('timestamptz', { name: 'escalated_at' }) escalatedAt!: Date;
}
