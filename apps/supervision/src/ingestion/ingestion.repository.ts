import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface NewIngestedRecord {
  departmentCode: string;
  recordId: string;
  system: string;
  kind: string;
  caseNumber: string;
  eventId: string;
}

/** Ingestion SQL. */
@Injectable()
export class IngestionRepository {
  /** Inserts the records not seen before (one statement); answers the keys that were new. */
  async insertNew(m: EntityManager, records: readonly NewIngestedRecord[]): Promise<Set<string>> {
    const fresh = new Set<string>();
    for (let i = 0; i < records.length; i += 5000) {
      const chunk = records.slice(i, i + 5000);
      const rows = await m.query<Array<{ department_code: string; record_id: string }>>(
        `INSERT INTO ingested_records (department_code, record_id, system, kind, case_number, event_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[])
         ON CONFLICT (department_code, record_id) DO NOTHING
         RETURNING department_code, record_id`,
        [chunk.map((r) => r.departmentCode), chunk.map((r) => r.recordId), chunk.map((r) => r.system), chunk.map((r) => r.kind), chunk.map((r) => r.caseNumber), chunk.map((r) => r.eventId)],
      );
      for (const r of rows) fresh.add(`${r.department_code}\u0000${r.record_id}`);
    }
    return fresh;
  }
}
