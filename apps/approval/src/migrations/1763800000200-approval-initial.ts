import { appendOnlySql } from '@gov/service-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApprovalInitial1763800000200 implements MigrationInterface {
  name = 'ApprovalInitial1763800000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cases (
        case_number text PRIMARY KEY,
        application_id uuid NOT NULL UNIQUE,
        tenant_id text NOT NULL,
        matter_code text NOT NULL,
        matter_name text NOT NULL,
        department_code text NOT NULL,
        process_key text NOT NULL,
        process_instance_id text UNIQUE,
        status text NOT NULL,
        accepted_at timestamptz NOT NULL,
        started_at timestamptz,
        decided_at timestamptz,
        version int NOT NULL DEFAULT 1
      );
      CREATE INDEX cases_department ON cases (tenant_id, department_code);

      -- Opinions are part of the legal record: append-only, chained by hash.
      CREATE TABLE opinions (
        id bigserial PRIMARY KEY,
        case_number text NOT NULL REFERENCES cases(case_number),
        task_id text NOT NULL UNIQUE,
        task_definition_key text NOT NULL,
        step_name text,
        officer_id text NOT NULL,
        officer_label text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('approve', 'reject')),
        opinion text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        prev_hash text NOT NULL,
        hash text NOT NULL UNIQUE
      );

      CREATE TABLE decisions (
        case_number text PRIMARY KEY REFERENCES cases(case_number),
        process_instance_id text NOT NULL,
        decision text NOT NULL CHECK (decision IN ('approved', 'rejected')),
        document_number text NOT NULL UNIQUE,
        decided_at timestamptz NOT NULL
      );
      ${appendOnlySql('opinions')}
      CREATE TABLE document_counters (
        tenant_id text NOT NULL,
        year int NOT NULL,
        last_value bigint NOT NULL,
        PRIMARY KEY (tenant_id, year)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE document_counters, decisions, opinions, cases; DROP FUNCTION refuse_change()');
  }
}
