import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PendingCompletion } from './pending-completion.entity';

export type NewPendingCompletion = Omit<PendingCompletion, 'status' | 'result' | 'reason' | 'attempts' | 'leaseUntil' | 'createdAt' | 'settledAt'>;

/** Why recording a completion was refused: another live completion holds the task or the key. */
export type RecordConflict = 'task' | 'key';

@Injectable()
export class PendingCompletionsRepository {
  constructor(private readonly ds: DataSource) {}

  /** The live (pending or confirmed) completion recorded under an Idempotency-Key (one query; a pending one first). */
  byKey(scope: string, key: string): Promise<PendingCompletion | null> {
    return this.ds
      .getRepository(PendingCompletion)
      .createQueryBuilder('p')
      .where('p.idempotency_scope = :scope AND p.idempotency_key = :key', { scope, key })
      .andWhere(`p.status IN ('pending', 'confirmed')`)
      .orderBy(`p.status = 'pending'`, 'DESC')
      .limit(1)
      .getOne();
  }

  byId(id: string): Promise<PendingCompletion | null> {
    return this.ds.getRepository(PendingCompletion).findOne({ where: { id } });
  }

  /** Records a completion in its own short transaction; a live completion of the same task or key refuses it. */
  async record(c: NewPendingCompletion): Promise<{ recorded: PendingCompletion } | { conflict: RecordConflict }> {
    const rows = await this.ds.query<{ id: string }[]>(
      `INSERT INTO pending_completions (id, task_id, case_number, process_instance_id, idempotency_scope, idempotency_key, request_hash,
         task_definition_key, step_name, officer_id, officer_label, outcome, opinion, opinion_at, signature, signer_serial, fees, actor_groups, status)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17::jsonb,$18::jsonb,'pending')
       ON CONFLICT DO NOTHING RETURNING id`,
      [c.id, c.taskId, c.caseNumber, c.processInstanceId, c.idempotencyScope, c.idempotencyKey, c.requestHash, c.taskDefinitionKey, c.stepName, c.officerId, c.officerLabel, c.outcome, c.opinion, c.opinionAt, c.signature, c.signerSerial, c.fees ? JSON.stringify(c.fees) : null, c.actorGroups === null ? null : JSON.stringify(c.actorGroups)],
    );
    if (rows.length === 1) {
      // The row as inserted (created_at is the database's; nothing on the completion path reads it).
      const recorded: PendingCompletion = { ...c, status: 'pending', result: null, reason: null, attempts: 0, leaseUntil: null, createdAt: new Date(), settledAt: null };
      return { recorded };
    }
    const sameKey = await this.byKey(c.idempotencyScope, c.idempotencyKey);
    return { conflict: sameKey ? 'key' : 'task' };
  }

  /** Locks the row for the confirming transaction. */
  lockForConfirm(manager: EntityManager, id: string): Promise<PendingCompletion | null> {
    return manager.getRepository(PendingCompletion).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async markConfirmed(manager: EntityManager, id: string, result: object): Promise<void> {
    await manager.query(`UPDATE pending_completions SET status = 'confirmed', result = $2, reason = NULL, lease_until = NULL, settled_at = now() WHERE id = $1`, [id, JSON.stringify(result)]);
  }

  /** Gives the task and the key back: the engine will not complete the step for this request. */
  async markAbandoned(id: string, reason: string): Promise<void> {
    await this.ds.query(`UPDATE pending_completions SET status = 'abandoned', reason = $2, lease_until = NULL, settled_at = now() WHERE id = $1 AND status = 'pending'`, [id, reason.slice(0, 1000)]);
  }

  /**
   * Leases up to `limit` pending completions older than `olderThanMs` that no reconciler holds, for `leaseMs`
   * (a short transaction; the lease, not a lock, keeps two reconcilers off one row while they call the engine).
   */
  async leaseStale(olderThanMs: number, leaseMs: number, limit = 50): Promise<PendingCompletion[]> {
    const rows = await this.ds.query<{ id: string }[]>(
      `WITH leased AS (UPDATE pending_completions SET attempts = attempts + 1, lease_until = now() + ($2::bigint * interval '1 millisecond')
        WHERE id IN (SELECT id FROM pending_completions
                      WHERE status = 'pending' AND created_at <= now() - ($1::bigint * interval '1 millisecond')
                        AND (lease_until IS NULL OR lease_until < now())
                      ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id) SELECT id FROM leased`,
      [olderThanMs, leaseMs, limit],
    );
    const ids = rows.map((r) => r.id);
    if (ids.length === 0) return [];
    return this.ds.getRepository(PendingCompletion).createQueryBuilder('p').where('p.id IN (:...ids)', { ids }).orderBy('p.created_at').getMany();
  }

  async countPending(): Promise<number> {
    return this.ds.getRepository(PendingCompletion).count({ where: { status: 'pending' } });
  }
}
