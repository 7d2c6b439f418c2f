import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { LEDGER_ANCHOR_SOURCE, type AnchorSource, LEGACY, Ledger, type LedgerVerdict, joinVerdicts, verifyLegacyChain } from '@gov/ledger';
import { DataSource, type EntityManager } from 'typeorm';

export interface AlertRow {
  id: string;
  stepId: string;
  caseNumber: string;
  level: 'yellow' | 'red';
  deadline: Date;
  raisedAt: Date;
  prevHash: string;
  hash: string;
}

/** The ledger's `step_id` of a case's deadline light. */
export const caseLightKey = (clock: 'statutory' | 'promised', caseNumber: string): string => `case:${clock}:${caseNumber}`;

type AlertField = 'id' | 'stepId' | 'caseNumber' | 'level' | 'deadline' | 'raisedAt';

/** The alert ledger as a @gov/ledger ledger: one chain per case. */
export const alertsLedger = new Ledger<AlertField>({
  ledger: 'supervision.alerts',
  table: 'alerts',
  rowIdColumn: 'seq',
  reportColumn: 'id',
  fields: {
    id: { column: 'id', type: 'uuid' },
    stepId: { column: 'step_id', type: 'text' },
    caseNumber: { column: 'case_number', type: 'text' },
    level: { column: 'level', type: 'text' },
    deadline: { column: 'deadline', type: 'timestamptz' },
    raisedAt: { column: 'raised_at', type: 'timestamptz' },
  },
});

/** The hash of the legacy (pre-ledger) single chain; kept to verify the alerts written before the migration. */
export function alertHash(prevHash: string, a: Omit<AlertRow, 'prevHash' | 'hash'>): string {
  return createHash('sha256')
    .update(prevHash)
    .update(JSON.stringify([a.id, a.stepId, a.caseNumber, a.level, a.deadline.toISOString(), a.raisedAt.toISOString()]))
    .digest('hex');
}

/**
 * The immutable alert ledger. One alert per step and level; each case's alerts are chained by hash. A case light's
 * `stepId` names its clock: `case:statutory:<case number>` or `case:promised:<case number>` (`caseLightKey`).
 */
@Injectable()
export class AlertsRepository {
  constructor(
    private readonly ds: DataSource,
    @Optional() @Inject(LEDGER_ANCHOR_SOURCE) private readonly anchors?: AnchorSource,
  ) {}

  /** Appends an alert unless the step (or case clock) already has one of this level; returns it only when newly written. */
  async appendOnce(manager: EntityManager, a: Omit<AlertRow, 'id' | 'prevHash' | 'hash'>): Promise<AlertRow | null> {
    // A step belongs to one case: the case's chain lock makes check-then-append atomic.
    await alertsLedger.lock(manager, a.caseNumber);
    const exists = await manager.query<unknown[]>(`SELECT 1 FROM alerts WHERE step_id = $1 AND level = $2`, [a.stepId, a.level]);
    if (exists.length > 0) return null;
    const id = randomUUID();
    const r = await alertsLedger.append(manager, a.caseNumber, { id, stepId: a.stepId, caseNumber: a.caseNumber, level: a.level, deadline: a.deadline, raisedAt: a.raisedAt });
    return { id, stepId: r.stored.stepId as string, caseNumber: r.stored.caseNumber as string, level: a.level, deadline: a.deadline, raisedAt: a.raisedAt, prevHash: r.prevHash, hash: r.hash };
  }

  /**
   * The ledger in order, from after `afterSeq`, limited to alerts on steps of the given organisations (read from the
   * steps' candidate groups, `role:org`); `orgs` undefined means no organisation filter.
   */
  async list(filter: { caseNumber?: string; level?: 'yellow' | 'red'; orgs?: readonly string[]; afterSeq?: number }, limit = 200): Promise<(AlertRow & { seq: number })[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `SELECT a.seq, a.id, a.step_id, a.case_number, a.level, a.deadline, a.raised_at, a.prev_hash, a.hash
         FROM alerts a LEFT JOIN steps s ON s.step_id = a.step_id LEFT JOIN cases c ON s.step_id IS NULL AND c.case_number = a.case_number
        WHERE ($1::text IS NULL OR a.case_number = $1) AND ($2::text IS NULL OR a.level = $2)
          AND a.seq > $3
          AND ($4::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest(s.candidate_groups) g WHERE split_part(g, ':', 2) = ANY($4::text[])) OR c.department_code = ANY($4::text[]))
        ORDER BY a.seq LIMIT $5`,
      [filter.caseNumber ?? null, filter.level ?? null, filter.afterSeq ?? 0, filter.orgs ? [...filter.orgs] : null, limit],
    );
    return rows.map(toRow);
  }

  /** Every chain (the legacy one, then each case's) in pages, and against identity's signed heads when wired. */
  async verify(opts: { pageSize?: number } = {}): Promise<LedgerVerdict> {
    const legacy = await verifyLegacyChain<Record<string, unknown> & { ord: string; prev_hash: string; hash: string }>(
      this.ds,
      { ledger: alertsLedger.ledger, table: 'alerts', orderColumn: 'seq', select: `seq::text AS ord, ${COLUMNS}`, hash: (prev, r) => alertHash(prev, toRow(r)), report: (r) => String(r.id) },
      opts.pageSize,
    );
    if (!legacy.ok) return legacy;
    return joinVerdicts(legacy, await alertsLedger.verify(this.ds, { anchors: this.anchors, pageSize: opts.pageSize }));
  }

  /** The id of the first alert whose hash, link or signed head does not match, or null when intact. */
  async verifyChain(): Promise<{ checked: number; firstBroken: string | null; reason?: string }> {
    const v = await this.verify();
    const b = v.firstBroken;
    const firstBroken = b ? (b.record ?? (b.partition === LEGACY ? b.seq : `${b.partition}#${b.seq}`)) : null;
    return { checked: v.checked, firstBroken, ...(b ? { reason: `${b.reason}: ${b.detail}` } : {}) };
  }
}

const COLUMNS = 'seq, id, step_id, case_number, level, deadline, raised_at, prev_hash, hash';

function toRow(r: Record<string, unknown>): AlertRow & { seq: number } {
  return {
    seq: Number(r.seq),
    id: r.id as string,
    stepId: r.step_id as string,
    caseNumber: r.case_number as string,
    level: r.level as 'yellow' | 'red',
    deadline: r.deadline as Date,
    raisedAt: r.raised_at as Date,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  };
}
