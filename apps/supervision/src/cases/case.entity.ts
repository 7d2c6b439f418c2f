import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A case's clock: the statutory (法定) and promised (承诺) limits from its acceptance, suspensions excluded. */
@Entity('cases')
@Index('cases_open_provisional', ['acceptedAt'], { where: 'deadline_provisional AND decided_at IS NULL' })
@Index('cases_open_statutory', ['statutoryDeadline'], { where: 'decided_at IS NULL' })
@Index('cases_open_statutory_yellow', ['statutoryYellowAt'], { where: 'decided_at IS NULL' })
@Index('cases_open_promised', ['promisedDeadline'], { where: 'decided_at IS NULL AND promised_deadline IS NOT NULL' })
@Index('cases_open_promised_yellow', ['promisedYellowAt'], { where: 'decided_at IS NULL AND promised_deadline IS NOT NULL' })
@Index('cases_decided_late', ['decidedAt'], { where: 'decided_at > statutory_deadline OR decided_at > promised_deadline' })
export class CaseEntity {
  @PrimaryColumn('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'tenant_id', nullable: true }) tenantId!: string | null;
  @Column('text', { name: 'department_code', nullable: true }) departmentCode!: string | null;
  @Column('text', { name: 'matter_code', nullable: true }) matterCode!: string | null;
  @Column('text', { name: 'process_key', nullable: true }) processKey!: string | null;
  @Column('timestamptz', { name: 'submitted_at', nullable: true }) submittedAt!: Date | null;
  @Column('timestamptz', { name: 'accepted_at' }) acceptedAt!: Date;
  @Column('int', { name: 'statutory_limit_working_days' }) statutoryLimitWorkingDays!: number;
  @Column('int', { name: 'promised_limit_working_days', nullable: true }) promisedLimitWorkingDays!: number | null;
  @Column('timestamptz', { name: 'statutory_deadline' }) statutoryDeadline!: Date;
  @Column('timestamptz', { name: 'promised_deadline', nullable: true }) promisedDeadline!: Date | null;
  @Column('boolean', { name: 'deadline_provisional', default: false }) deadlineProvisional!: boolean;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @Column('text', { nullable: true }) decision!: string | null;
  /** When each deadline's light turns yellow (CASE_YELLOW_LEAD_HOURS before it, never before acceptance). */
  @Column('timestamptz', { name: 'statutory_yellow_at', nullable: true }) statutoryYellowAt!: Date | null;
  @Column('timestamptz', { name: 'promised_yellow_at', nullable: true }) promisedYellowAt!: Date | null;
}

/** A period the clock of a case (or one of its steps) stopped (暂停计算), with the duration the office stated. */
@Entity('suspensions')
@Index('suspensions_case', ['caseNumber'])
export class SuspensionEntity {
  @PrimaryColumn('text', { name: 'suspension_id' }) suspensionId!: string;
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'step_id', nullable: true }) stepId!: string | null;
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('int', { name: 'stated_working_days', nullable: true }) statedWorkingDays!: number | null;
  @Column('timestamptz', { name: 'suspended_at' }) suspendedAt!: Date;
  @Column('timestamptz', { name: 'resumed_at', nullable: true }) resumedAt!: Date | null;
}

/** One event supervision saw about a case: the evidence the anomaly rules read. */
@Entity('case_facts')
@Index('case_facts_case', ['caseNumber', 'at'])
export class CaseFactEntity {
  @PrimaryColumn('uuid', { name: 'event_id' }) eventId!: string;
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text') type!: string;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('timestamptz') at!: Date;
  /** The event's source (`/supervision/ingestion/<system>` for records of departments' own systems). */
  @Column('text', { nullable: true }) source!: string | null;
}
