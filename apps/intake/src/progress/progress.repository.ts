import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ApplicationProgress } from './progress.entity';

@Injectable()
export class ProgressRepository {
  constructor(private readonly ds: DataSource) {}

  /** The case's progress row (created empty on first sight), locked for the rest of the transaction. */
  async lock(manager: EntityManager, caseNumber: string, now: Date): Promise<ApplicationProgress> {
    await manager.query(`INSERT INTO application_progress (case_number, updated_at) VALUES ($1, $2) ON CONFLICT (case_number) DO NOTHING`, [caseNumber, now]);
    const row = await manager.getRepository(ApplicationProgress).findOne({ where: { caseNumber }, lock: { mode: 'pessimistic_write' } });
    if (!row) throw new Error(`progress of ${caseNumber} vanished`);
    return row;
  }

  async save(manager: EntityManager, p: ApplicationProgress): Promise<void> {
    const { caseNumber, ...rest } = p;
    await manager.getRepository(ApplicationProgress).update({ caseNumber }, rest);
  }

  /** Whether intake holds an application with this case number (events of other cases are not projected). */
  async isOurs(manager: EntityManager, caseNumber: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(`SELECT 1 FROM applications WHERE case_number = $1`, [caseNumber]);
    return rows.length > 0;
  }

  /** Closes the application decided; a joint-window application is decided when its last part is. */
  async markDecided(manager: EntityManager, caseNumber: string, at: Date): Promise<void> {
    await manager.query(`UPDATE applications SET status = 'decided', closed_at = $2, version = version + 1 WHERE case_number = $1 AND status IN ('accepted', 'accepted-with-missing')`, [caseNumber, at]);
    await manager.query(
      `UPDATE applications b SET status = 'decided', closed_at = $2, version = b.version + 1
        WHERE b.id = (SELECT bundle_id FROM applications WHERE case_number = $1) AND b.status = 'accepted'
          AND NOT EXISTS (SELECT 1 FROM applications c WHERE c.bundle_id = b.id AND c.status <> 'decided')`,
      [caseNumber, at],
    );
  }

  find(caseNumber: string): Promise<ApplicationProgress | null> {
    return this.ds.getRepository(ApplicationProgress).findOne({ where: { caseNumber } });
  }
}
