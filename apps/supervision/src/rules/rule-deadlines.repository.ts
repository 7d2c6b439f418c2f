import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Watch } from './rule';

export interface RuleDeadlineRow {
  rule: string;
  caseNumber: string;
  key: string;
  orgCode: string | null;
  tenantId: string | null;
  dueAt: Date;
  evidence: Record<string, unknown>;
}

const toRow = (r: Record<string, unknown>): RuleDeadlineRow => ({
  rule: r.rule as string,
  caseNumber: r.case_number as string,
  key: r.key as string,
  orgCode: r.org_code as string | null,
  tenantId: r.tenant_id as string | null,
  dueAt: r.due_at as Date,
  evidence: r.evidence as Record<string, unknown>,
});

/** The deadlines deadline rules watch (`rule_deadlines`). */
@Injectable()
export class RuleDeadlinesRepository {
  /** Opens a watch unless the rule already watches that key on the case (redeliveries, a second start). */
  async watch(m: EntityManager, rule: string, caseNumber: string, tenantId: string | null, w: Watch): Promise<void> {
    await m.query(
      `INSERT INTO rule_deadlines (rule, case_number, key, org_code, tenant_id, due_at, evidence) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`,
      [rule, caseNumber, w.key, w.orgCode ?? null, tenantId, w.dueAt, JSON.stringify(w.evidence)],
    );
  }

  async meet(m: EntityManager, rule: string, caseNumber: string, key: string, at: Date): Promise<void> {
    await m.query(`UPDATE rule_deadlines SET met_at = $4 WHERE rule = $1 AND case_number = $2 AND key = $3 AND met_at IS NULL AND fired_at IS NULL`, [rule, caseNumber, key, at]);
  }

  /** Open watches due at `now`, oldest first (the partial index over open watches). */
  async due(db: DataSource, now: Date, limit: number): Promise<RuleDeadlineRow[]> {
    const rows = await db.query<Record<string, unknown>[]>(`SELECT * FROM rule_deadlines WHERE met_at IS NULL AND fired_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT $2`, [now, limit]);
    return rows.map(toRow);
  }

  /** Claims a due watch for raising (null when it was met or raised meanwhile). */
  async fire(m: EntityManager, w: Pick<RuleDeadlineRow, 'rule' | 'caseNumber' | 'key'>, now: Date): Promise<RuleDeadlineRow | null> {
    const rows = await m.query<[Record<string, unknown>[], number]>(
      `UPDATE rule_deadlines SET fired_at = $4 WHERE rule = $1 AND case_number = $2 AND key = $3 AND met_at IS NULL AND fired_at IS NULL AND due_at <= $4 RETURNING *`,
      [w.rule, w.caseNumber, w.key, now],
    );
    return rows[0][0] ? toRow(rows[0][0]) : null;
  }
}
