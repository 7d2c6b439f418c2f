import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Supervision's copy of one engine step (user task), with its deadline in working days. */
@Entity('steps')
@Index('steps_case', ['caseNumber'])
@Index('steps_open_deadline', ['deadline'], { where: 'closed_at IS NULL' })
@Index('steps_closed_late', ['deadline'], { where: 'closed_at > deadline' })
@Index('steps_open_yellow', ['yellowAt'], { where: 'closed_at IS NULL' })
export class StepEntity {
  @PrimaryColumn('text', { name: 'step_id' }) stepId!: string;
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'process_instance_id' }) processInstanceId!: string;
  @Column('text', { name: 'task_definition_key' }) taskDefinitionKey!: string;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('text', { name: 'candidate_groups', array: true, default: () => "'{}'" }) candidateGroups!: string[];
  @Column('text', { name: 'tenant_id', nullable: true }) tenantId!: string | null;
  @Column('timestamptz', { name: 'opened_at' }) openedAt!: Date;
  @Column('int', { name: 'time_limit_working_days', nullable: true }) timeLimitWorkingDays!: number | null;
  @Column('timestamptz', { nullable: true }) deadline!: Date | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @Column('text', { name: 'close_reason', nullable: true }) closeReason!: string | null;
  @Column('int', { default: 1 }) version!: number;
  @Column('boolean', { name: 'deadline_provisional', default: false }) deadlineProvisional!: boolean;
  /** The officer who holds the step (claimed or completed it), when the engine says. */
  @Column('text', { nullable: true }) assignee!: string | null;
  /** When it turns yellow (window before the deadline or share of the limit, whichever first). */
  @Column('timestamptz', { name: 'yellow_at', nullable: true }) yellowAt!: Date | null;
}
