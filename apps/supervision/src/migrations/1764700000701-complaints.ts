import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Complaints (投诉举报) and the stages each reached. */
export class Complaints1764700000701 implements MigrationInterface {
  name = 'Complaints1764700000701';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE complaints (
      id uuid PRIMARY KEY,
      tracking_code text NOT NULL,
      subject_kind text NOT NULL,
      case_number text, officer_id text, department_code text,
      content text NOT NULL,
      complainant_kind text NOT NULL,
      applicant_subject text, contact text,
      stage text NOT NULL,
      stage_deadline timestamptz,
      assignee text, conclusion text, substantiated boolean, reply text,
      filed_at timestamptz NOT NULL,
      version int NOT NULL DEFAULT 1)`);
    await q.query(`CREATE UNIQUE INDEX complaints_tracking_code ON complaints (tracking_code)`);
    await q.query(`CREATE INDEX complaints_department ON complaints (department_code, filed_at)`);
    await q.query(`CREATE TABLE complaint_stages (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      complaint_id uuid NOT NULL,
      stage text NOT NULL,
      at timestamptz NOT NULL,
      deadline timestamptz,
      actor text, note text)`);
    await q.query(`CREATE INDEX complaint_stages_complaint ON complaint_stages (complaint_id, at)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE complaint_stages`);
    await q.query(`DROP TABLE complaints`);
  }
}
