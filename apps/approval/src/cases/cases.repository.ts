import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Case, type CaseStartSpec } from './case.entity';

@Injectable()
export class CasesRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Records an accepted case with what starting it needs, unless it exists (a case recorded before start specs were
   * kept gets one). Returns the stored row, locked for the rest of the transaction.
   */
  async record(
    manager: EntityManager,
    c: Pick<Case, 'caseNumber' | 'applicationId' | 'tenantId' | 'matterCode' | 'matterName' | 'departmentCode' | 'processKey' | 'acceptedAt'> & Partial<Pick<Case, 'catalogueFees' | 'reportsToTenantId' | 'reportsToDepartmentCode' | 'coDepartmentCodes'>>,
    spec: CaseStartSpec,
  ): Promise<Case> {
    await manager.query(
      `INSERT INTO cases (case_number, application_id, tenant_id, matter_code, matter_name, department_code, process_key, status, accepted_at, start_spec, catalogue_fees, reports_to_tenant_id, reports_to_department_code, co_department_codes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'accepted', $8, $9, $10, $11, $12, $13) ON CONFLICT (case_number) DO UPDATE SET start_spec = $9 WHERE cases.start_spec IS NULL`,
      [
        c.caseNumber,
        c.applicationId,
        c.tenantId,
        c.matterCode,
        c.matterName,
        c.departmentCode,
        c.processKey,
        c.acceptedAt,
        JSON.stringify(spec),
        c.catalogueFees ? JSON.stringify(c.catalogueFees) : null,
        c.reportsToTenantId ?? null,
        c.reportsToDepartmentCode ?? null,
        c.coDepartmentCodes ?? [],
      ],
    );
    const row = await manager.getRepository(Case).findOne({ where: { caseNumber: c.caseNumber }, lock: { mode: 'pessimistic_write' } });
    if (!row) throw new Error(`case ${c.caseNumber} vanished`);
    return row;
  }

  /**
   * Takes the lease to start a case on the engine: only for a case still waiting (accepted, no instance, not leased
   * by a live starter). Null when another starter holds it, or there is nothing to start.
   */
  async leaseStart(caseNumber: string, leaseMs: number): Promise<Case | null> {
    const rows = await this.ds.query<{ case_number: string }[]>(
      // (a CTE, so the query answers the updated rows: TypeORM answers a bare UPDATE ... RETURNING with [rows, count])
      `WITH leased AS (UPDATE cases SET start_lease_until = now() + ($2::bigint * interval '1 millisecond'), start_attempts = start_attempts + 1
        WHERE case_number = $1 AND status = 'accepted' AND process_instance_id IS NULL AND start_spec IS NOT NULL
          AND (start_lease_until IS NULL OR start_lease_until < now())
        RETURNING case_number) SELECT case_number FROM leased`,
      [caseNumber, leaseMs],
    );
    return rows.length === 0 ? null : this.find(caseNumber);
  }

  /** Cases waiting to be started whose lease (if any) has run out, oldest first: the reconciler's work. */
  async awaitingStart(limit = 50): Promise<string[]> {
    const rows = await this.ds.query<{ case_number: string }[]>(
      `SELECT case_number FROM cases WHERE status = 'accepted' AND process_instance_id IS NULL AND start_spec IS NOT NULL
          AND (start_lease_until IS NULL OR start_lease_until < now())
        ORDER BY accepted_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.case_number);
  }

  /** Marks the case started with its instance; false when it is no longer waiting (ended meanwhile, or started). */
  async markStarted(manager: EntityManager, caseNumber: string, processInstanceId: string, at: Date): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `WITH marked AS (UPDATE cases SET process_instance_id = $2, status = 'in-review', started_at = $3, start_lease_until = NULL, version = version + 1
        WHERE case_number = $1 AND status = 'accepted' AND process_instance_id IS NULL RETURNING case_number) SELECT case_number FROM marked`,
      [caseNumber, processInstanceId, at],
    );
    return rows.length > 0;
  }

  async markDecided(manager: EntityManager, caseNumber: string, at: Date): Promise<void> {
    await manager.query(`UPDATE cases SET status = 'decided', decided_at = $2, version = version + 1 WHERE case_number = $1`, [caseNumber, at]);
  }

  /** The case, locked for the rest of the transaction; null when approval never had it. */
  lock(manager: EntityManager, caseNumber: string): Promise<Case | null> {
    return manager.getRepository(Case).findOne({ where: { caseNumber }, lock: { mode: 'pessimistic_write' } });
  }

  /** Ends the case; with `cancelReason`, its running instance is to be deleted once this commits. */
  async markEnded(manager: EntityManager, caseNumber: string, outcome: 'withdrawn' | 'terminated', at: Date, cancelReason: string | null): Promise<void> {
    await manager.query(`UPDATE cases SET status = $2, decided_at = $3, instance_cancel_reason = $4, version = version + 1 WHERE case_number = $1`, [caseNumber, outcome, at, cancelReason]);
  }

  /** Ended cases whose instance may still run on the engine (the reconciler's work), or the one named. */
  async instancesToCancel(limit = 50, caseNumber?: string): Promise<{ caseNumber: string; processInstanceId: string; reason: string }[]> {
    const rows = await this.ds.query<{ case_number: string; process_instance_id: string; instance_cancel_reason: string }[]>(
      `SELECT case_number, process_instance_id, instance_cancel_reason FROM cases
        WHERE instance_cancel_reason IS NOT NULL AND process_instance_id IS NOT NULL AND ($2::text IS NULL OR case_number = $2)
        ORDER BY case_number LIMIT $1`,
      [limit, caseNumber ?? null],
    );
    return rows.map((r) => ({ caseNumber: r.case_number, processInstanceId: r.process_instance_id, reason: r.instance_cancel_reason }));
  }

  async instanceCancelled(caseNumber: string): Promise<void> {
    await this.ds.query(`UPDATE cases SET instance_cancel_reason = NULL WHERE case_number = $1`, [caseNumber]);
  }

  find(caseNumber: string): Promise<Case | null> {
    return this.ds.getRepository(Case).findOne({ where: { caseNumber } });
  }

  byProcessInstances(ids: string[]): Promise<Case[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.ds.getRepository(Case).find({ where: { processInstanceId: In(ids) } });
  }
}
