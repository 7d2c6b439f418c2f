import { createHash } from 'node:crypto';
import { Ledger, type LedgerVerdict } from '@gov/ledger';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export type CaseActionKind = 'unclaim' | 'return' | 'take-back' | 'transfer' | 'suspend' | 'resume' | 'joint-meeting';

export interface CaseActionRecord {
  caseNumber: string;
  action: CaseActionKind;
  taskId: string | null;
  step: string | null;
  officerId: string;
  officerLabel: string;
  reason: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

/** Every officer action on a case, one hash chain per case (append-only, like the opinions). */
export const caseActionsLedger = new Ledger<keyof CaseActionRecord>({
  ledger: 'approval.case-actions',
  table: 'case_actions',
  rowIdColumn: 'id',
  fields: {
    caseNumber: { column: 'case_number', type: 'text' },
    action: { column: 'action', type: 'text' },
    taskId: { column: 'task_id', type: 'text', nullable: true },
    step: { column: 'step', type: 'text', nullable: true },
    officerId: { column: 'officer_id', type: 'text' },
    officerLabel: { column: 'officer_label', type: 'text' },
    reason: { column: 'reason', type: 'text', nullable: true },
    details: { column: 'details', type: 'jsonb' },
    createdAt: { column: 'created_at', type: 'timestamptz' },
  },
});

/** A recorded action as the case's history shows it. */
export type LoggedAction = Omit<CaseActionRecord, 'caseNumber' | 'createdAt'> & { createdAt: string; hash: string };

export interface OpenSuspension {
  id: string;
  caseNumber: string;
  processInstanceId: string;
  reason: string;
  expectedDays: number;
  suspendedBy: string;
  suspendedAt: Date;
}

export type RequestClaim = { claimed: true } | { claimed: false; status: 'pending' | 'done'; sameRequest: boolean; result: unknown };

/** A pending action older than this is taken to have died with its process (engine calls time out after 15 s). */
export const STALE_PENDING_SECONDS = 120;

export function requestHash(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

@Injectable()
export class CaseActionsRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  /**
   * Takes an Idempotency-Key for an action (its own short transaction, committed before the engine is asked), or
   * says what the key already holds: a pending action (under way), or a done one with its result.
   */
  async claimRequest(scope: string, key: string, hash: string): Promise<RequestClaim> {
    const inserted = await this.ds.query<unknown[]>(
      `INSERT INTO case_action_requests (scope, key, request_hash, status) VALUES ($1, $2, $3, 'pending') ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [scope, key, hash],
    );
    if (inserted.length === 1) return { claimed: true };
    const rows = await this.ds.query<{ request_hash: string; status: 'pending' | 'done'; result: unknown }[]>(
      `SELECT request_hash, status, result FROM case_action_requests WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    const row = rows[0];
    // Released between the insert and the read (the first request was refused): the caller may try again.
    if (!row) return this.claimRequest(scope, key, hash);
    if (row.status === 'pending' && row.request_hash === hash) {
      // A request that has been pending far longer than any engine call takes (the process died between the engine
      // call and the record) is taken over by its retry, which checks the engine again from the start.
      const [, taken] = await this.ds.query<[unknown[], number]>(
        `UPDATE case_action_requests SET created_at = now() WHERE scope = $1 AND key = $2 AND status = 'pending' AND created_at < now() - make_interval(secs => $3)`,
        [scope, key, STALE_PENDING_SECONDS],
      );
      if (taken === 1) return { claimed: true };
    }
    return { claimed: false, status: row.status, sameRequest: row.request_hash === hash, result: row.result };
  }

  /** Gives the key back: the action was refused or failed before the engine changed anything. */
  async releaseRequest(scope: string, key: string): Promise<void> {
    await this.ds.query(`DELETE FROM case_action_requests WHERE scope = $1 AND key = $2 AND status = 'pending'`, [scope, key]);
  }

  async completeRequest(manager: EntityManager, scope: string, key: string, result: unknown): Promise<void> {
    await manager.query(`UPDATE case_action_requests SET status = 'done', result = $3 WHERE scope = $1 AND key = $2`, [scope, key, JSON.stringify(result)]);
  }

  async log(manager: EntityManager, r: CaseActionRecord): Promise<string> {
    const a = await caseActionsLedger.append(manager, r.caseNumber, { ...r });
    return a.hash;
  }

  async history(caseNumber: string): Promise<LoggedAction[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `SELECT action, task_id, step, officer_id, officer_label, reason, details, created_at, hash FROM case_actions WHERE chain_partition = $1 ORDER BY chain_seq`,
      [caseNumber],
    );
    return rows.map((r) => ({
      action: r.action as CaseActionKind,
      taskId: r.task_id as string | null,
      step: r.step as string | null,
      officerId: r.officer_id as string,
      officerLabel: r.officer_label as string,
      reason: r.reason as string | null,
      details: r.details as Record<string, unknown>,
      createdAt: new Date(r.created_at as string).toISOString(),
      hash: r.hash as string,
    }));
  }

  /** Walks every case's action chain (in pages) and reports the first break. */
  verify(): Promise<LedgerVerdict> {
    return caseActionsLedger.verify(this.ds);
  }

  /** Every clock suspension of the case, open or resumed, oldest first. */
  async suspensions(caseNumber: string): Promise<Array<OpenSuspension & { resumedBy: string | null; resumedAt: Date | null }>> {
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `SELECT id, case_number, process_instance_id, reason, expected_days, suspended_by, suspended_at, resumed_by, resumed_at FROM case_suspensions WHERE case_number = $1 ORDER BY suspended_at`,
      [caseNumber],
    );
    return rows.map((r) => ({
      id: r.id as string,
      caseNumber: r.case_number as string,
      processInstanceId: r.process_instance_id as string,
      reason: r.reason as string,
      expectedDays: r.expected_days as number,
      suspendedBy: r.suspended_by as string,
      suspendedAt: new Date(r.suspended_at as string),
      resumedBy: r.resumed_by as string | null,
      resumedAt: r.resumed_at === null ? null : new Date(r.resumed_at as string),
    }));
  }

  /** Opens a suspension; false when the case already has an open one (the partial unique index decides). */
  async openSuspension(s: OpenSuspension): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(
      `INSERT INTO case_suspensions (id, case_number, process_instance_id, reason, expected_days, suspended_by, suspended_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
      [s.id, s.caseNumber, s.processInstanceId, s.reason, s.expectedDays, s.suspendedBy, s.suspendedAt],
    );
    return rows.length === 1;
  }

  /** Takes back a suspension the engine did not accept. */
  async dropSuspension(id: string): Promise<void> {
    await this.ds.query(`DELETE FROM case_suspensions WHERE id = $1 AND resumed_at IS NULL`, [id]);
  }

  async openSuspensionOf(caseNumber: string, manager: EntityManager = this.ds.manager): Promise<OpenSuspension | undefined> {
    const rows = await manager.query<Record<string, unknown>[]>(
      `SELECT id, case_number, process_instance_id, reason, expected_days, suspended_by, suspended_at FROM case_suspensions WHERE case_number = $1 AND resumed_at IS NULL`,
      [caseNumber],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      id: r.id as string,
      caseNumber: r.case_number as string,
      processInstanceId: r.process_instance_id as string,
      reason: r.reason as string,
      expectedDays: Number(r.expected_days),
      suspendedBy: r.suspended_by as string,
      suspendedAt: new Date(r.suspended_at as string),
    };
  }

  /** Closes the open suspension; false when someone else closed it first. */
  async closeSuspension(manager: EntityManager, id: string, by: string, at: Date): Promise<boolean> {
    // TypeORM answers an UPDATE on PostgreSQL with [rows, rowCount].
    const [, count] = await manager.query<[unknown[], number]>(`UPDATE case_suspensions SET resumed_by = $2, resumed_at = $3 WHERE id = $1 AND resumed_at IS NULL`, [id, by, at]);
    return count === 1;
  }
}
