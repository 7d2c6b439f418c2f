import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Engine incidents (issue 9 §5: "a failure raises an incident, which supervision sees"): the incident watcher records
 * each incident of the engine once (primary key: the engine's incident id, so approvals sharing an engine each report
 * it once per database) and publishes `gov.approval.incident.raised` in the same transaction; `resolved_at` is set,
 * with `gov.approval.incident.resolved`, once the engine no longer has it open. The partial index holds the open ones,
 * which each round checks.
 */
export class EngineIncidents1764900000700 implements MigrationInterface {
  name = 'EngineIncidents1764900000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE engine_incidents (
        incident_id text PRIMARY KEY,
        incident_type text NOT NULL,
        activity_id text,
        process_instance_id text,
        process_definition_id text,
        case_number text,
        tenant_id text,
        message text,
        incident_at timestamptz NOT NULL,
        detected_at timestamptz NOT NULL,
        resolved_at timestamptz,
        resolution text
      )`);
    await q.query(`CREATE INDEX engine_incidents_open ON engine_incidents (detected_at) WHERE resolved_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE engine_incidents`);
  }
}
