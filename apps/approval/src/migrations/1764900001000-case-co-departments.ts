import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 并联审批 / 会签 (issue 9 §1, seed 003): the departments a joint review sends the case to beside the handling (lead)
 * one, from the accepted event's `coReviewers`, in the catalogue's order. Their officers work the co-review steps and
 * see the case (case view, case detail) beside the lead's; empty for every other case.
 *
 * `joint_review_requests`: each co-review step opened, the department it asks (one row per step: the
 * `gov.approval.joint-review.requested` event is written once with it, and the department's opinion on that step
 * becomes `gov.approval.joint-review.opinion-recorded`). Supervision's 会签意见不全 rule compares the two.
 */
export class CaseCoDepartments1764900001000 implements MigrationInterface {
  name = 'CaseCoDepartments1764900001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN co_department_codes text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE TABLE joint_review_requests (
      task_id text PRIMARY KEY,
      case_number text NOT NULL,
      department_code text NOT NULL,
      requested_at timestamptz NOT NULL,
      opinion text,
      answered_at timestamptz
    )`);
    await q.query(`CREATE INDEX joint_review_requests_case ON joint_review_requests (case_number)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE joint_review_requests`);
    await q.query(`ALTER TABLE cases DROP COLUMN co_department_codes`);
  }
}
