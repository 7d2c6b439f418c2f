import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IntakeInitial1763800000100 implements MigrationInterface {
  name = 'IntakeInitial1763800000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE matters (
        code text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('审批','审核','核准','备案','内部事务')),
        department_code text NOT NULL,
        tenant_id text NOT NULL,
        process_key text NOT NULL,
        time_limit_working_days int NOT NULL CHECK (time_limit_working_days > 0),
        legal_basis text NOT NULL DEFAULT '',
        active boolean NOT NULL DEFAULT true
      );
      CREATE TABLE applications (
        id uuid PRIMARY KEY,
        case_number text NOT NULL UNIQUE,
        matter_code text NOT NULL REFERENCES matters(code),
        tenant_id text NOT NULL,
        applicant_kind text NOT NULL CHECK (applicant_kind IN ('person','legal-entity')),
        applicant_id text NOT NULL,
        applicant_name text NOT NULL,
        form jsonb NOT NULL,
        status text NOT NULL,
        accepted_at timestamptz NOT NULL,
        version int NOT NULL DEFAULT 1
      );
      CREATE INDEX applications_applicant ON applications (applicant_id);
      CREATE TABLE case_number_counters (
        tenant_id text NOT NULL,
        day text NOT NULL,
        last_value bigint NOT NULL,
        PRIMARY KEY (tenant_id, day)
      );
    `);
    // The demo matter this migration used to insert is now seeded outside production only (src/seed). Databases that
    // ran the earlier version keep their row: no migration deletes a matter a bureau may already be using.
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE case_number_counters, applications, matters');
  }
}
