import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { EngineIncident } from './engine-incident.entity';

export type IncidentRow = Omit<EngineIncident, 'resolvedAt' | 'resolution'>;

const toRow = (r: Record<string, unknown>): IncidentRow => ({
  incidentId: r.incident_id as string,
  incidentType: r.incident_type as string,
  activityId: r.activity_id as string | null,
  processInstanceId: r.process_instance_id as string | null,
  processDefinitionId: r.process_definition_id as string | null,
  caseNumber: r.case_number as string | null,
  tenantId: r.tenant_id as string | null,
  message: r.message as string | null,
  incidentAt: r.incident_at as Date,
  detectedAt: r.detected_at as Date,
});

/** The engine incidents approval reported (`engine_incidents`): one row per engine incident id. */
@Injectable()
export class EngineIncidentsRepository {
  /** The ids among `ids` already recorded. */
  async known(db: DataSource | EntityManager, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db.query<{ incident_id: string }[]>(`SELECT incident_id FROM engine_incidents WHERE incident_id = ANY($1::text[])`, [[...ids]]);
    return new Set(rows.map((r) => r.incident_id));
  }

  /** Records an incident; false when it was recorded before (by this or a concurrent round). */
  async insert(m: EntityManager, i: IncidentRow): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `INSERT INTO engine_incidents (incident_id, incident_type, activity_id, process_instance_id, process_definition_id, case_number, tenant_id, message, incident_at, detected_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (incident_id) DO NOTHING RETURNING incident_id`,
      [i.incidentId, i.incidentType, i.activityId, i.processInstanceId, i.processDefinitionId, i.caseNumber, i.tenantId, i.message, i.incidentAt, i.detectedAt],
    );
    return rows.length === 1;
  }

  /** Recorded incidents not yet seen resolved, oldest first (the partial index). */
  async open(db: DataSource, limit: number): Promise<IncidentRow[]> {
    const rows = await db.query<Record<string, unknown>[]>(`SELECT * FROM engine_incidents WHERE resolved_at IS NULL ORDER BY detected_at LIMIT $1`, [limit]);
    return rows.map(toRow);
  }

  /** Marks an incident resolved; null when it already was (another round got there first). */
  async resolve(m: EntityManager, incidentId: string, resolution: 'resolved' | 'deleted', resolvedAt: Date): Promise<IncidentRow | null> {
    const rows = await m.query<[Record<string, unknown>[], number]>(
      `UPDATE engine_incidents SET resolved_at = $3, resolution = $2 WHERE incident_id = $1 AND resolved_at IS NULL RETURNING *`,
      [incidentId, resolution, resolvedAt],
    );
    return rows[0][0] ? toRow(rows[0][0]) : null;
  }
}
