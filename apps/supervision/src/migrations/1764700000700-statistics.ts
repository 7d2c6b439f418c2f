import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Statistics read models (issue 10 §5): case facts from events, and pre-aggregated rollups per dimension and period. */
export class Statistics1764700000700 implements MigrationInterface {
  name = 'Statistics1764700000700';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE stats_cases (
      case_number text PRIMARY KEY,
      tenant_id text, department_code text, section_code text, officer_id text,
      city text, county text, township text,
      statutory_limit_wd int, promised_limit_wd int,
      accepted_at timestamptz, decided_at timestamptz, working_days_used int)`);
    await q.query(`CREATE TABLE stats_rollups (
      dim text NOT NULL, dim_key text NOT NULL, period text NOT NULL, period_key text NOT NULL,
      scope text NOT NULL,
      received int NOT NULL DEFAULT 0, accepted int NOT NULL DEFAULT 0, decided int NOT NULL DEFAULT 0,
      on_time int NOT NULL DEFAULT 0,
      used_wd_sum bigint NOT NULL DEFAULT 0, statutory_wd_sum bigint NOT NULL DEFAULT 0, promised_wd_sum bigint NOT NULL DEFAULT 0,
      promised_count int NOT NULL DEFAULT 0, promised_on_time int NOT NULL DEFAULT 0,
      used_hist int[] NOT NULL DEFAULT '{}',
      returns int NOT NULL DEFAULT 0, suspensions int NOT NULL DEFAULT 0, reds int NOT NULL DEFAULT 0, yellows int NOT NULL DEFAULT 0,
      anomalies int NOT NULL DEFAULT 0, complaints int NOT NULL DEFAULT 0,
      ratings int NOT NULL DEFAULT 0, rating_sum int NOT NULL DEFAULT 0, bad_ratings int NOT NULL DEFAULT 0,
      PRIMARY KEY (dim, dim_key, period, period_key))`);
    await q.query(`CREATE INDEX stats_rollups_horizontal ON stats_rollups (period, period_key, dim)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stats_rollups`);
    await q.query(`DROP TABLE stats_cases`);
  }
}
