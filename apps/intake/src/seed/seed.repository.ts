import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Matter } from '../matters/matter.entity';

@Injectable()
export class SeedRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Upserts a matter by code: inserted if absent, brought back to the demo definition if it differs (a row the old
   * initial migration inserted is left as it is, being the same). Concurrent replicas seeding at once do not collide.
   * Returns whether a row was written.
   */
  async upsertMatter(m: Omit<Matter, 'active'>): Promise<boolean> {
    const rows = await this.ds.query<unknown[]>(
      `INSERT INTO matters AS m (code, name, kind, department_code, tenant_id, process_key, time_limit_working_days, legal_basis, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, department_code = EXCLUDED.department_code,
         tenant_id = EXCLUDED.tenant_id, process_key = EXCLUDED.process_key, time_limit_working_days = EXCLUDED.time_limit_working_days,
         legal_basis = EXCLUDED.legal_basis, active = true
       WHERE (m.name, m.kind, m.department_code, m.tenant_id, m.process_key, m.time_limit_working_days, m.legal_basis, m.active)
         IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.department_code, EXCLUDED.tenant_id, EXCLUDED.process_key, EXCLUDED.time_limit_working_days, EXCLUDED.legal_basis, true)
       RETURNING code`,
      [m.code, m.name, m.kind, m.departmentCode, m.tenantId, m.processKey, m.timeLimitWorkingDays, m.legalBasis],
    );
    return rows.length > 0;
  }
}
