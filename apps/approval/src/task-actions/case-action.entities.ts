import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The Idempotency-Key of one task action: pending while the engine is asked, done with the answer it gave. */
@Entity('case_action_requests')
@Check('case_action_requests_status_check', `status IN ('pending', 'done')`)
export class CaseActionRequest {
  @PrimaryColumn('text') scope!: string;
  @PrimaryColumn('text') key!: string;
  @Column('text', { name: 'request_hash' }) requestHash!: string;
  @Column('text') status!: 'pending' | 'done';
  @Column('jsonb', { nullable: true }) result!: unknown;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
}

/** A clock suspension (特殊程序) of a case; at most one open (not resumed) per case. */
@Entity('case_suspensions')
@Index('case_suspensions_one_open', ['caseNumber'], { unique: true, where: 'resumed_at IS NULL' })
@Check('case_suspensions_expected_days_check', 'expected_days > 0')
export class CaseSuspension {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'process_instance_id' }) processInstanceId!: string;
  @Column('text') reason!: string;
  @Column('int', { name: 'expected_days' }) expectedDays!: number;
  @Column('text', { name: 'suspended_by' }) suspendedBy!: string;
  @Column('timestamptz', { name: 'suspended_at' }) suspendedAt!: Date;
  @Column('text', { name: 'resumed_by', nullable: true }) resumedBy!: string | null;
  @Column('timestamptz', { name: 'resumed_at', nullable: true }) resumedAt!: Date | null;
}
