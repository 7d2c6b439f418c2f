import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Records ingested from departments' own systems (seed 001 text 10 §(五)), for deduplication by record id. */
export class Ingestion1764700000703 implements MigrationInterface {
  name = 'Ingestion1764700000703';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ingested_records (
      department_code text NOT NULL, record_id text NOT NULL, system text NOT NULL, kind text NOT NULL,
      case_number text NOT NULL, event_id uuid NOT NULL, ingested_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (department_code, record_id))`);
    await q.query(`CREATE INDEX ingested_records_case ON ingested_records (case_number)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ingested_records`);
  }
}
