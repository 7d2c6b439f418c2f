import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Service ratings (好差评): rateable cases from events, ratings, and the rectifications bad ratings open. */
export class Ratings1764700000702 implements MigrationInterface {
  name = 'Ratings1764700000702';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE rating_cases (case_number text PRIMARY KEY, applicant_id text, department_code text, decided_at timestamptz)`);
    await q.query(`CREATE TABLE ratings (
      id uuid PRIMARY KEY, case_number text NOT NULL, kind text NOT NULL, grade int NOT NULL, grades jsonb NOT NULL,
      indicator_set text NOT NULL, comment text, applicant_subject text NOT NULL, rated_at timestamptz NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX ratings_one_per_case ON ratings (case_number, kind)`);
    await q.query(`CREATE TABLE rectifications (
      id uuid PRIMARY KEY, rating_id uuid NOT NULL, case_number text NOT NULL, department_code text, applicant_id text,
      status text NOT NULL, opened_at timestamptz NOT NULL, deadline timestamptz NOT NULL,
      done_at timestamptz, done_by text, action text, follow_up_rating_id uuid, version int NOT NULL DEFAULT 1)`);
    await q.query(`CREATE INDEX rectifications_department ON rectifications (department_code, status)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rectifications`);
    await q.query(`DROP TABLE ratings`);
    await q.query(`DROP TABLE rating_cases`);
  }
}
