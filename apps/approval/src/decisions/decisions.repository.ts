import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DecisionKind } from './decision.entity';

export interface IssuedDecision {
  decision: DecisionKind;
  documentNumber: string;
  decidedAt: Date;
  revokesDocumentNumber: string | null;
}

/** The short word of each kind's document number (文号), e.g. 441200-SCJG-许〔2026〕000001号. */
export const DOCUMENT_WORDS: Record<DecisionKind, string> = {
  approved: '许',
  rejected: '不许',
  filed: '备',
  withdrawn: '撤',
  terminated: '终',
  revoked: '撤销',
};

type Row = { decision: DecisionKind; document_number: string; decided_at: Date; revokes_document_number: string | null };
const toIssued = (r: Row): IssuedDecision => ({ decision: r.decision, documentNumber: r.document_number, decidedAt: new Date(r.decided_at), revokesDocumentNumber: r.revokes_document_number });

@Injectable()
export class DecisionsRepository {
  /** The case's outcome (every kind but a revocation); null while it has none. */
  async forCase(manager: EntityManager, caseNumber: string): Promise<IssuedDecision | null> {
    const rows = await manager.query<Row[]>(
      `SELECT decision, document_number, decided_at, revokes_document_number FROM decisions WHERE case_number = $1 AND decision <> 'revoked'`,
      [caseNumber],
    );
    return rows[0] ? toIssued(rows[0]) : null;
  }

  /** Every document of the case, in the order issued (its outcome, then a revocation of it). */
  async allForCase(manager: EntityManager, caseNumber: string): Promise<IssuedDecision[]> {
    const rows = await manager.query<Row[]>(
      `SELECT decision, document_number, decided_at, revokes_document_number FROM decisions WHERE case_number = $1 ORDER BY decided_at, document_number`,
      [caseNumber],
    );
    return rows.map(toIssued);
  }

  /** The case's document of one kind (e.g. its revocation); null when it has none. */
  async ofKind(manager: EntityManager, caseNumber: string, kind: DecisionKind): Promise<IssuedDecision | null> {
    const rows = await manager.query<Row[]>(
      `SELECT decision, document_number, decided_at, revokes_document_number FROM decisions WHERE case_number = $1 AND decision = $2`,
      [caseNumber, kind],
    );
    return rows[0] ? toIssued(rows[0]) : null;
  }

  /** The next document number of the tenant's year (a row per tenant and year, incremented in the transaction). */
  async nextCounter(manager: EntityManager, tenantId: string, year: number): Promise<number> {
    const rows = await manager.query<{ last_value: string }[]>(
      `INSERT INTO document_counters (tenant_id, year, last_value) VALUES ($1, $2, 1)
       ON CONFLICT (tenant_id, year) DO UPDATE SET last_value = document_counters.last_value + 1 RETURNING last_value`,
      [tenantId, year],
    );
    return Number(rows[0]?.last_value);
  }

  /** The next 文号 of a kind, numbered in the tenant's year (China Standard Time), e.g. 449900-SCJG-备〔2026〕000007号. */
  async nextDocumentNumber(manager: EntityManager, c: { tenantId: string; departmentCode: string }, kind: DecisionKind, at: Date): Promise<string> {
    const year = Number(new Date(at.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 4));
    const counter = await this.nextCounter(manager, c.tenantId, year);
    return `${c.tenantId}-${c.departmentCode}-${DOCUMENT_WORDS[kind]}〔${year}〕${String(counter).padStart(6, '0')}号`;
  }

  async insert(
    manager: EntityManager,
    d: { caseNumber: string; processInstanceId: string; decision: DecisionKind; documentNumber: string; decidedAt: Date; revokesDocumentNumber?: string | null },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO decisions (case_number, process_instance_id, decision, document_number, decided_at, revokes_document_number) VALUES ($1, $2, $3, $4, $5, $6)`,
      [d.caseNumber, d.processInstanceId, d.decision, d.documentNumber, d.decidedAt, d.revokesDocumentNumber ?? null],
    );
  }

  /**
   * 上报件: when the higher level signed off, i.e. the last confirmed completion of a step in an instance the case's
   * flow called (the city's review runs as a child instance); null when the case has none.
   */
  async higherApprovalAt(manager: EntityManager, caseNumber: string, ownInstanceId: string): Promise<Date | null> {
    const [row] = await manager.query<{ at: Date | null }[]>(
      `SELECT max(opinion_at) AS at FROM pending_completions WHERE case_number = $1 AND process_instance_id <> $2 AND status = 'confirmed'`,
      [caseNumber, ownInstanceId],
    );
    return row?.at ? new Date(row.at) : null;
  }
}
