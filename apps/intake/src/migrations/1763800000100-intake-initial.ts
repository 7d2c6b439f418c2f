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
    // The walking skeleton's demo matter: handled by the registration section (登记注册处) of the demo city's market
    // regulation bureau (identity's demo seed), in the city's tenant 449900.
    await q.query(`
      INSERT INTO matters (code, name, kind, department_code, tenant_id, process_key, time_limit_working_days, legal_basis)
      VALUES ('DEMO-SCJG-001', '食品经营许可（演示）', '审批', '11449900000000111Y', '449900', 'skeleton-approval', 7, '《食品经营许可和备案管理办法》')
      ON CONFLICT (code) DO NOTHING;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE case_number_counters, applications, matters');
  }
}
