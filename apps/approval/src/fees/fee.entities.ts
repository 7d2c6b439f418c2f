import type { DeterminedFeeData } from '@gov/contracts';
import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/** The fee determination (核定收费) the handler's completion carried, once the engine completed it; the last one counts. */
@Entity('fee_determinations')
export class FeeDetermination {
  @PrimaryColumn('text', { name: 'case_number' }) caseNumber!: string;
  /** The pending completion that carried it. */
  @Column('uuid', { name: 'completion_id' }) completionId!: string;
  @Column('text', { name: 'step_id' }) stepId!: string;
  @Column('jsonb') items!: DeterminedFeeData[];
  @Column('integer', { name: 'total_fen' }) totalFen!: number;
  @Column('integer', { name: 'payment_days', nullable: true }) paymentDays!: number | null;
  @Column('text', { name: 'determined_by' }) determinedBy!: string;
  @Column('timestamptz', { name: 'determined_at' }) determinedAt!: Date;
}

export const PAYMENT_REQUEST_STATUSES = ['requested', 'paid'] as const;

/** The payment request of an approved case with a fee (缴费通知书, art. 19 (二)): one per case. */
@Entity('payment_requests')
@Check('payment_requests_status_check', `status IN (${PAYMENT_REQUEST_STATUSES.map((s) => `'${s}'`).join(', ')})`)
export class PaymentRequest {
  @PrimaryColumn('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text', { name: 'process_instance_id' }) processInstanceId!: string;
  @Column('jsonb') items!: DeterminedFeeData[];
  @Column('integer', { name: 'total_fen' }) totalFen!: number;
  /** ISO-8601 duration the deadline was computed from (the flow's `feePaymentPeriod`). */
  @Column('text') period!: string;
  @Column('timestamptz') deadline!: Date;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt!: Date;
  @Column('text') status!: (typeof PAYMENT_REQUEST_STATUSES)[number];
}

export const PAYMENT_CHANNELS = ['window', 'gateway'] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];
/** pending: recorded, not yet handed to the engine; correlated: the flow took it; too-late: the deadline's timer won (a refund is due). */
export const CORRELATION_STATES = ['pending', 'correlated', 'too-late'] as const;
export type CorrelationState = (typeof CORRELATION_STATES)[number];

/** A confirmed payment of a case's fee (one per case) and whether the flow has taken it (`fee-paid`). */
@Entity('fee_payments')
@Unique('fee_payments_case_number_key', ['caseNumber'])
@Check('fee_payments_channel_check', `channel IN (${PAYMENT_CHANNELS.map((s) => `'${s}'`).join(', ')})`)
@Check('fee_payments_correlation_check', `correlation IN (${CORRELATION_STATES.map((s) => `'${s}'`).join(', ')})`)
@Index('fee_payments_correlation_pending', ['paidAt'], { where: `correlation = 'pending'` })
export class FeePayment {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  @Column('integer', { name: 'amount_fen' }) amountFen!: number;
  @Column('text') channel!: PaymentChannel;
  /** The receipt number (票据号) or the gateway's transaction reference. */
  @Column('text') reference!: string;
  @Column('text', { name: 'confirmed_by', nullable: true }) confirmedBy!: string | null;
  @Column('timestamptz', { name: 'paid_at' }) paidAt!: Date;
  @Column('text', { name: 'idempotency_key' }) idempotencyKey!: string;
  @Column('text', { name: 'request_hash' }) requestHash!: string;
  @Column('text') correlation!: CorrelationState;
  @Column('integer', { name: 'correlation_attempts', default: 0 }) correlationAttempts!: number;
  @Column('timestamptz', { name: 'correlated_at', nullable: true }) correlatedAt!: Date | null;
  @Column('text', { name: 'correlation_error', nullable: true }) correlationError!: string | null;
}
