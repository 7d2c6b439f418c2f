import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { caseNumberDay, formatCaseNumber } from './case-number';

@Injectable()
export class CaseNumbersRepository {
  /**
   * The next case number for a tenant and day, allocated in the caller's transaction: the counter row stays locked
   * until it commits, so numbers are gap-free per commit and never handed out twice.
   */
  async next(manager: EntityManager, tenantId: string, at: Date): Promise<string> {
    const day = caseNumberDay(at);
    const rows = await manager.query<{ last_value: string }[]>(
      `INSERT INTO case_number_counters (tenant_id, day, last_value) VALUES ($1, $2, 1)
       ON CONFLICT (tenant_id, day) DO UPDATE SET last_value = case_number_counters.last_value + 1
       RETURNING last_value`,
      [tenantId, day],
    );
    return formatCaseNumber(tenantId, day, BigInt(rows[0].last_value));
  }
}
