import type { DeterminedFeeData } from '@gov/contracts';
import { makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { PendingCompletion, PendingFees } from '../steps/pending-completion.entity';
import { type CorrelationState, FeeDetermination, FeePayment, PaymentRequest } from './fee.entities';

/** The SQL of fees: determinations, payment requests, payments. */
@Injectable()
export class FeesRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * In the confirming transaction of the handler's completion: the case's determination (the last one counts) and
   * `gov.approval.fee.determined` (supervision's fee rules read it).
   */
  async recordDetermination(manager: EntityManager, row: PendingCompletion, fees: PendingFees, at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO fee_determinations (case_number, completion_id, step_id, items, total_fen, payment_days, determined_by, determined_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (case_number) DO UPDATE SET completion_id = $2, step_id = $3, items = $4, total_fen = $5, payment_days = $6, determined_by = $7, determined_at = $8`,
      [row.caseNumber, row.id, row.taskDefinitionKey, JSON.stringify(fees.items), fees.totalFen, fees.paymentDays, row.officerId, at],
    );
    const [c] = await manager.query<{ tenant_id: string; matter_code: string }[]>(`SELECT tenant_id, matter_code FROM cases WHERE case_number = $1`, [row.caseNumber]);
    await enqueueEvent(
      manager,
      makeEvent({
        type: 'gov.approval.fee.determined',
        source: '/approval',
        subject: row.caseNumber,
        ...(c ? { tenantId: c.tenant_id } : {}),
        correlationId: row.id,
        data: {
          caseNumber: row.caseNumber,
          matterCode: c?.matter_code ?? 'unknown',
          stepId: row.taskDefinitionKey,
          determinedBy: row.officerId.slice(0, 200),
          items: fees.items,
          totalFen: fees.totalFen,
          paymentDays: fees.paymentDays,
          determinedAt: at.toISOString(),
        },
      }),
    );
  }

  determination(caseNumber: string): Promise<FeeDetermination | null> {
    return this.ds.getRepository(FeeDetermination).findOne({ where: { caseNumber } });
  }

  request(caseNumber: string, manager?: EntityManager): Promise<PaymentRequest | null> {
    return (manager ?? this.ds.manager).getRepository(PaymentRequest).findOne({ where: { caseNumber } });
  }

  lockRequest(manager: EntityManager, caseNumber: string): Promise<PaymentRequest | null> {
    return manager.getRepository(PaymentRequest).findOne({ where: { caseNumber }, lock: { mode: 'pessimistic_write' } });
  }

  /** Records the payment request unless the case has one (a task fetched again); answers the stored one. */
  async insertRequest(manager: EntityManager, r: Omit<PaymentRequest, 'status'>): Promise<{ request: PaymentRequest; created: boolean }> {
    const rows = await manager.query<{ case_number: string }[]>(
      `INSERT INTO payment_requests (case_number, process_instance_id, items, total_fen, period, deadline, requested_at, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested') ON CONFLICT (case_number) DO NOTHING RETURNING case_number`,
      [r.caseNumber, r.processInstanceId, JSON.stringify(r.items satisfies DeterminedFeeData[]), r.totalFen, r.period, r.deadline, r.requestedAt],
    );
    const stored = await this.request(r.caseNumber, manager);
    if (!stored) throw new Error(`payment request of ${r.caseNumber} vanished`);
    return { request: stored, created: rows.length > 0 };
  }

  async markRequestPaid(manager: EntityManager, caseNumber: string): Promise<void> {
    await manager.query(`UPDATE payment_requests SET status = 'paid' WHERE case_number = $1`, [caseNumber]);
  }

  payment(caseNumber: string, manager?: EntityManager): Promise<FeePayment | null> {
    return (manager ?? this.ds.manager).getRepository(FeePayment).findOne({ where: { caseNumber } });
  }

  async insertPayment(manager: EntityManager, p: FeePayment): Promise<void> {
    await manager.getRepository(FeePayment).insert(p);
  }

  /** The payments recorded but not yet taken by the flow (older than `olderThanMs`): the reconciler's work. */
  async uncorrelated(olderThanMs: number, limit = 50): Promise<FeePayment[]> {
    return this.ds
      .getRepository(FeePayment)
      .createQueryBuilder('p')
      .where(`p.correlation = 'pending'`)
      .andWhere(`p.paid_at <= now() - (:ms::bigint * interval '1 millisecond')`, { ms: olderThanMs })
      .orderBy('p.paid_at')
      .limit(limit)
      .getMany();
  }

  async markCorrelation(id: string, state: CorrelationState, error: string | null): Promise<void> {
    await this.ds.query(
      `UPDATE fee_payments SET correlation = $2, correlation_attempts = correlation_attempts + 1, correlated_at = CASE WHEN $2 = 'pending' THEN NULL ELSE now() END, correlation_error = $3 WHERE id = $1`,
      [id, state, error?.slice(0, 1000) ?? null],
    );
  }
}
