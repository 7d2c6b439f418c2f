import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Application } from './application.entity';

@Injectable()
export class ApplicationsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Next case number for a tenant and day (CST), allocated in the caller's transaction: gap-free per commit. */
  async nextCaseNumber(manager: EntityManager, tenantId: string, at: Date): Promise<string> {
    const day = new Date(at.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10).replace(/-/g, '');
    const rows = await manager.query<{ last_value: string }[]>(
      `INSERT INTO case_number_counters (tenant_id, day, last_value) VALUES ($1, $2, 1)
       ON CONFLICT (tenant_id, day) DO UPDATE SET last_value = case_number_counters.last_value + 1
       RETURNING last_value`,
      [tenantId, day],
    );
    return `${tenantId}-${day}-${String(rows[0].last_value).padStart(6, '0')}`;
  }

  async insert(manager: EntityManager, application: Application): Promise<void> {
    // jsonb columns confuse TypeORM's deep-partial type; the entity is complete here.
    await manager.getRepository(Application).insert(application as QueryDeepPartialEntity<Application>);
  }

  findByCaseNumber(caseNumber: string): Promise<Application | null> {
    return this.ds.getRepository(Application).findOne({ where: { caseNumber } });
  }
}
