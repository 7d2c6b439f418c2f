import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface StepRecord {
  taskId: string;
  step: string;
  name: string | null;
  groups: string[];
  openedAt: string;
  completedAt: string | null;
  cancelled: boolean;
}
export interface SuspensionRecord {
  reason: string;
  from: string;
  to: string | null;
}
export interface DocumentRecord {
  kind: string;
  documentNumber: string;
  issuedAt: string;
}
export interface ResultRecord {
  outcome: 'approved' | 'rejected' | 'filed' | 'revoked' | 'withdrawn' | 'terminated';
  documentNumber: string;
  at: string;
}

/** The applicant's progress view of a case (办件进度), a read model fed by approval's and supervision's events. */
@Entity('application_progress')
export class ApplicationProgress {
  @PrimaryColumn('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'process_instance_id', nullable: true }) processInstanceId!: string | null;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('text', { name: 'current_step', nullable: true }) currentStep!: string | null;
  @Column('text', { name: 'current_step_name', nullable: true }) currentStepName!: string | null;
  @Column('jsonb', { name: 'current_groups', default: () => "'[]'" }) currentGroups!: string[];
  @Column('timestamptz', { name: 'step_opened_at', nullable: true }) stepOpenedAt!: Date | null;
  @Column('double precision', { name: 'step_limit_working_days', nullable: true }) stepLimitWorkingDays!: number | null;
  @Column('jsonb', { default: () => "'[]'" }) steps!: StepRecord[];
  @Column('jsonb', { default: () => "'[]'" }) suspensions!: SuspensionRecord[];
  @Column('jsonb', { default: () => "'[]'" }) documents!: DocumentRecord[];
  /** The supervision light of the current step (green/yellow/red), when supervision raised one. */
  @Column('text', { nullable: true }) light!: string | null;
  @Column('jsonb', { nullable: true }) result!: ResultRecord | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
