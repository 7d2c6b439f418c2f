import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DecisionKind } from './decision.entity';

export interface IssuedDecision {
  decision: DecisionKind;
  documentNumber: string;
}

@Injectable()
export class DecisionsRepository {
  async forCase(manager: EntityManager, caseNumber: string): Promise<IssuedDecision | null> {
    const rows = await manager.query<{ decision: DecisionKind; document_number: string }[]>(
      `SELECT decision, document_number FROM decisions WHERE case_number = $1`,
      [caseNumber],
    );
    return rows[0] ? { decision: rows[0].decision, documentNumber: rows[0].document_number } : null;
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

  async insert(manager: EntityManager, d: { caseNumber: string; processInstanceId: string; decision: DecisionKind; documentNumber: string; decidedAt: Date }): Promise<void> {
    await manager.query(
      `INSERT INTO decisions (case_number, process_instance_id, decision, document_number, decided_at) VALUES ($1, $2, $3, $4, $5)`,
      [d.caseNumber, d.processInstanceId, d.decision, d.documentNumber, d.decidedAt],
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
