import type { DeterminedFeeData } from '@gov/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A handler's fee determination, checked against the case's catalogue fees before it is recorded. */
export interface PendingFees {
  items: DeterminedFeeData[];
  totalFen: number;
  paymentDays: number | null;
}

export type PendingStatus = 'pending' | 'confirmed' | 'abandoned';

/**
 * A step completion in progress: recorded (with the opinion and the Idempotency-Key) before the engine is asked,
 * confirmed when the opinion is appended, abandoned when the engine will not complete it for this request. At most
 * one live (not abandoned) completion per task and per key.
 */
@Entity('pending_completions')
@Index('pending_completions_task_live', ['taskId'], { unique: true, where: `status <> 'abandoned'` })
@Index('pending_completions_key_live', ['idempotencyScope', 'idempotencyKey'], { unique: true, where: `status <> 'abandoned'` })
@Index('pending_completions_pending', ['createdAt'], { where: `status = 'pending'` })
export class PendingCompletion {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'task_id' }) taskId!: string;
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'process_instance_id' }) processInstanceId!: string;
  @Column('text', { name: 'idempotency_scope' }) idempotencyScope!: string;
  @Column('text', { name: 'idempotency_key' }) idempotencyKey!: string;
  @Column('text', { name: 'request_hash' }) requestHash!: string;
  @Column('text', { name: 'task_definition_key' }) taskDefinitionKey!: string;
  @Column('text', { name: 'step_name', nullable: true }) stepName!: string | null;
  @Column('text', { name: 'officer_id' }) officerId!: string;
  @Column('text', { name: 'officer_label' }) officerLabel!: string;
  @Column('text') outcome!: 'approve' | 'reject';
  @Column('text') opinion!: string;
  /** The opinion's time, fixed when the completion is recorded (it is part of the opinion's hash). */
  @Column('timestamptz', { name: 'opinion_at' }) opinionAt!: Date;
  /** The officer's signed opinion (compact JWS, x5c), made when the completion is recorded; appended with it. */
  @Column('text', { nullable: true }) signature!: string | null;
  @Column('text', { name: 'signer_serial', nullable: true }) signerSerial!: string | null;
  /** The completing officer's role:org groups, sent to the engine with the completion (null: recorded before them). */
  @Column('jsonb', { name: 'actor_groups', nullable: true }) actorGroups!: string[] | null;
  /** The fee determination (核定收费) the completion carries, recorded with it and handed to the engine with it. */
  @Column('jsonb', { nullable: true }) fees!: PendingFees | null;
  @Column('text') status!: PendingStatus;
  @Column('jsonb', { nullable: true }) result!: Record<string, unknown> | null;
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('int', { default: 0 }) attempts!: number;
  /** A reconciler working on the row holds it until then (no lock is held while it calls the engine). */
  @Column('timestamptz', { name: 'lease_until', nullable: true }) leaseUntil!: Date | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
  @Column('timestamptz', { name: 'settled_at', nullable: true }) settledAt!: Date | null;
}
