import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Consultations (咨询) about a matter and the department's answers (issue 8, section 5). */
export class Consultations1764700000950 implements MigrationInterface {
  name = 'Consultations1764700000950';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consultations (
        id uuid PRIMARY KEY,
        matter_code text NOT NULL,
        matter_name text NOT NULL,
        department_code text NOT NULL,
        tenant_id text NOT NULL,
        case_number text,
        asker_kind text NOT NULL,
        asker_subject text,
        contact_name text,
        contact text,
        access_code_hash character(64),
        question text NOT NULL,
        asked_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        answer text,
        answered_at timestamptz,
        answered_by text,
        answered_by_name text,
        public boolean NOT NULL DEFAULT false,
        overdue_at timestamptz,
        CONSTRAINT consultations_asker_kind_check CHECK (asker_kind IN ('applicant','anonymous'))
      );
      CREATE INDEX consultations_department ON consultations (department_code, asked_at);
      CREATE INDEX consultations_due ON consultations (due_at);
      CREATE INDEX consultations_asker ON consultations (asker_subject);
      CREATE INDEX consultations_matter ON consultations (matter_code, answered_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE consultations');
  }
}
