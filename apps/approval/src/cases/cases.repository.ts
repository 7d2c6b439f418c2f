import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Case } from './case.entity';

@Injectable()
export class CasesRepository {
  constructor(private readonly ds: DataSource) {}

  /** Inserts the case unless it exists; returns the stored row, locked for the rest of the transaction. */
  async upsertAndLock(manager: EntityManager, c: Omit<Case, 'version' | 'processInstanceId' | 'startedAt' | 'decidedAt' | 'status'>): Promise<Case> {
    await manager.query(
      `INSERT INTO cases (case_number, application_id, tenant_id, matter_code, matter_name, department_code, process_key, status, accepted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'accepted', $8) ON CONFLICT (case_number) DO NOTHING`,
      [c.caseNumber, c.applicationId, c.tenantId, c.matterCode, c.matterName, c.departmentCode, c.processKey, c.acceptedAt],
    );
    const row = await manager.getRepository(Case).findOne({ where: { caseNumber: c.caseNumber }, lock: { mode: 'pessimistic_write' } });
    if (!row) throw new Error(`case ${c.caseNumber} vanished`);
    return row;
  }

  async markStarted(manager: EntityManager, caseNumber: string, processInstanceId: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE cases SET process_instance_id = $2, status = 'in-review', started_at = $3, version = version + 1 WHERE case_number = $1`,
      [caseNumber, processInstanceId, at],
    );
  }

  async markDecided(manager: EntityManager, caseNumber: string, at: Date): Promise<void> {
    await manager.query(`UPDATE cases SET status = 'decided', decided_at = $2, version = version + 1 WHERE case_number = $1`, [caseNumber, at]);
  }

  /** The case, locked for the rest of the transaction; null when approval never had it. */
  lock(manager: EntityManager, caseNumber: string): Promise<Case | null> {
    return manager.getRepository(Case).findOne({ where: { caseNumber }, lock: { mode: 'pessimistic_write' } });
  }

  async markEnded(manager: EntityManager, caseNumber: string, outcome: 'withdrawn' | 'terminated', at: Date): Promise<void> {
    await manager.query(`UPDATE cases SET status = $2, decided_at = $3, version = version + 1 WHERE case_number = $1`, [caseNumber, outcome, at]);
  }

  find(caseNumber: string): Promise<Case | null> {
    return this.ds.getRepository(Case).findOne({ where: { caseNumber } });
  }

  byProcessInstances(ids: string[]): Promise<Case[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.ds.getRepository(Case).find({ where: { processInstanceId: In(ids) } });
  }
}
