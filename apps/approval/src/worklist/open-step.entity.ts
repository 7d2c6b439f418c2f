import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An open user task in the worklist read model (see migration 1764900000200). */
@Entity('open_steps')
// GIN over the candidate groups (the visibility filter): declared in the migration, which TypeORM cannot express.
@Index('open_steps_groups', { synchronize: false })
@Index('open_steps_deadline', ['deadline', 'taskId'])
@Index('open_steps_opened', ['openedAt', 'taskId'])
@Index('open_steps_case', ['caseNumber'])
@Index('open_steps_process_instance', ['processInstanceId'])
@Index('open_steps_matter', ['matterCode', 'deadline'])
export class OpenStep {
  @PrimaryColumn('text', { name: 'task_id' }) taskId!: string;
  @Column('text', { name: 'case_number', nullable: true }) caseNumber!: string | null;
  @Column('text', { name: 'process_instance_id' }) processInstanceId!: string;
  @Column('text', { name: 'process_definition_id' }) processDefinitionId!: string;
  @Column('text', { name: 'step_key' }) stepKey!: string;
  @Column('text', { name: 'step_name', nullable: true }) stepName!: string | null;
  @Column('text', { name: 'candidate_groups', array: true }) candidateGroups!: string[];
  @Column('text', { nullable: true }) assignee!: string | null;
  @Column('timestamptz', { name: 'opened_at' }) openedAt!: Date;
  @Column('int', { name: 'time_limit_working_days', nullable: true }) timeLimitWorkingDays!: number | null;
  @Column('timestamptz', { nullable: true }) deadline!: Date | null;
  @Column('timestamptz', { name: 'yellow_at', nullable: true }) yellowAt!: Date | null;
  /** Set while the case's clock is suspended (the step's light and remaining days stand still at this instant). */
  @Column('timestamptz', { name: 'suspended_at', nullable: true }) suspendedAt!: Date | null;
  @Column('text', { name: 'matter_code', nullable: true }) matterCode!: string | null;
  @Column('text', { name: 'matter_name', nullable: true }) matterName!: string | null;
  @Column('text', { nullable: true }) organisation!: string | null;
  @Column('text', { name: 'tenant_id', nullable: true }) tenantId!: string | null;
  /** When an event or a reconciliation last confirmed the row. */
  @Column('timestamptz', { name: 'synced_at', default: () => 'now()' }) syncedAt!: Date;
}

/** A closed step's tombstone: a late `opened` or catch-up never brings it back. */
@Entity('closed_steps')
@Index('closed_steps_closed_at', ['closedAt'])
export class ClosedStep {
  @PrimaryColumn('text', { name: 'task_id' }) taskId!: string;
  @Column('timestamptz', { name: 'closed_at' }) closedAt!: Date;
}
