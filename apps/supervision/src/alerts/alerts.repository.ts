import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
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

const GENESIS = '0'.repeat(64);

export function alertHash(prevHash: string, a: Omit<AlertRow, 'prevHash' | 'hash'>): string {
  return createHash('sha256')
    .update(prevHash)
    .update(JSON.stringify([a.id, a.stepId, a.caseNumber, a.level, a.deadline.toISOString(), a.raisedAt.toISOString()]))
    .digest('hex');
}

/** The immutable alert ledger. One alert per step and level; rows are chained by hash. */
@Injectable()
export class AlertsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Appends an alert unless the step already has one of this level; returns it only when newly written. */
  async appendOnce(manager: EntityManager, a: Omit<AlertRow, 'id' | 'prevHash' | 'hash'>): Promise<AlertRow | null> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('alerts-chain'))`);
    const exists = await manager.query<unknown[]>(`SELECT 1 FROM alerts WHERE step_id = $1 AND level = $2`, [a.stepId, a.level]);
    if (exists.length > 0) return null;
    const last = await manager.query<{ hash: string }[]>(`SELECT hash FROM alerts ORDER BY seq DESC LIMIT 1`);
    const prevHash = last[0]?.hash ?? GENESIS;
    const base = { ...a, id: randomUUID() };
    const row: AlertRow = { ...base, prevHash, hash: alertHash(prevHash, base) };
    await manager.query(
      `INSERT INTO alerts (id, step_id, case_number, level, deadline, raised_at, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [row.id, row.stepId, row.caseNumber, row.level, row.deadline, row.raisedAt, row.prevHash, row.hash],
    );
    return row;
  }

  /**
   * The ledger in order, from after `afterSeq`, limited to alerts on steps of the given organisations (read from the
   * steps' candidate groups, `role:org`); `orgs` undefined means no organisation filter.
   */
  async list(filter: { caseNumber?: string; level?: 'yellow' | 'red'; orgs?: readonly string[]; afterSeq?: number }, limit = 200): Promise<(AlertRow & { seq: number })[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `SELECT a.seq, a.id, a.step_id, a.case_number, a.level, a.deadline, a.raised_at, a.prev_hash, a.hash
         FROM alerts a JOIN steps s ON s.step_id = a.step_id
        WHERE ($1::text IS NULL OR a.case_number = $1) AND ($2::text IS NULL OR a.level = $2)
          AND a.seq > $3
          AND ($4::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest(s.candidate_groups) g WHERE split_part(g, ':', 2) = ANY($4::text[])))
        ORDER BY a.seq LIMIT $5`,
      [filter.caseNumber ?? null, filter.level ?? null, filter.afterSeq ?? 0, filter.orgs ? [...filter.orgs] : null, limit],
    );
    return rows.map(toRow);
  }

  /** Walks the whole ledger; returns the id of the first alert whose hash or link does not match, or null when intact. */
  async verifyChain(): Promise<{ checked: number; firstBroken: string | null }> {
    const rows = (await this.ds.query<Record<string, unknown>[]>(`SELECT ${COLUMNS} FROM alerts ORDER BY seq`)).map(toRow);
    let prev = GENESIS;
    for (const alert of rows) {
      if (alert.prevHash !== prev || alert.hash !== alertHash(prev, alert)) return { checked: rows.length, firstBroken: alert.id };
      prev = alert.hash;
    }
    return { checked: rows.length, firstBroken: null };
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
