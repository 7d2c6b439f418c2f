import { appendOnlySql } from '@gov/service-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalogue keeps every version of a matter (seed 004 art. 14, 16): `matter_versions` holds each version's elements
 * and who drafted, approved, filed and published it; `matters` stays the catalogue entry (code, tenant) and carries the
 * version now in force (`current_version`) with its denormalised summary, so lookups by code stay one row. Every
 * transition is a record of the `intake.matter-changes` ledger (`matter_changes`, append-only, one chain per matter).
 *
 * Existing matters are kept working: each gets a published version 1 built from its row (the elements the old table
 * did not hold get neutral defaults the department will complete in its next version), and each existing application
 * is recorded as accepted under version 1 (`applications.matter_version`, default 1).
 */
export class MatterVersions1764700000100 implements MigrationInterface {
  name = 'MatterVersions1764700000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE matters ADD COLUMN current_version int;
      CREATE TABLE matter_versions (
        code text NOT NULL REFERENCES matters(code),
        version int NOT NULL CHECK (version > 0),
        tenant_id text NOT NULL,
        state text NOT NULL CHECK (state IN ('draft','submitted','approved','filed','published','retired','rejected')),
        elements jsonb NOT NULL,
        note text NOT NULL DEFAULT '',
        drafted_by text NOT NULL,
        drafted_by_name text NOT NULL,
        drafted_at timestamptz NOT NULL,
        submitted_at timestamptz,
        approved_by text,
        approved_by_name text,
        approved_at timestamptz,
        filed_by text,
        filed_by_name text,
        filed_at timestamptz,
        published_at timestamptz,
        retired_at timestamptz,
        rejected_by text,
        rejected_at timestamptz,
        rejection_reason text,
        PRIMARY KEY (code, version)
      );
      CREATE UNIQUE INDEX matter_versions_one_open ON matter_versions (code) WHERE state IN ('draft','submitted','approved','filed');
      CREATE UNIQUE INDEX matter_versions_one_published ON matter_versions (code) WHERE state = 'published';
      CREATE INDEX matter_versions_state ON matter_versions (tenant_id, state);
      CREATE TABLE matter_changes (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        code text NOT NULL,
        version int NOT NULL,
        action text NOT NULL,
        actor text NOT NULL,
        actor_label text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        chain_partition text COLLATE "C" NOT NULL,
        chain_seq bigint NOT NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL
      );
      CREATE UNIQUE INDEX matter_changes_chain ON matter_changes (chain_partition, chain_seq);
      ${appendOnlySql('matter_changes')}
      ALTER TABLE applications ADD COLUMN matter_version int NOT NULL DEFAULT 1;
    `);
    // Version 1 of every matter already in the catalogue, from its row.
    await q.query(`
      INSERT INTO matter_versions (code, version, tenant_id, state, elements, note, drafted_by, drafted_by_name, drafted_at, published_at)
      SELECT m.code, 1, m.tenant_id, CASE WHEN m.active THEN 'published' ELSE 'retired' END,
        jsonb_build_object(
          'name', m.name, 'kind', m.kind,
          'category', CASE WHEN m.kind IN ('审批','核准') THEN '行政许可' ELSE '非行政许可' END,
          'departmentCode', m.department_code, 'levels', jsonb_build_array('city'), 'delegatedTo', null, 'reportsUpTo', null,
          'legalBasis', jsonb_build_array(CASE WHEN m.legal_basis = '' THEN '（待补充）' ELSE m.legal_basis END),
          'conditions', '[]'::jsonb, 'materials', '[]'::jsonb,
          'statutoryWorkingDays', m.time_limit_working_days, 'promisedWorkingDays', m.time_limit_working_days,
          'stepLimits', '[]'::jsonb, 'fees', '[]'::jsonb, 'formSchema', '{"type":"object"}'::jsonb,
          'result', jsonb_build_object('name', m.name, 'validityMonths', null, 'annualInspection', false),
          'consultation', '请向受理部门窗口咨询', 'complaint', '请向政务服务管理办公室投诉',
          'onlineClass', 'A', 'onlineLaterReason', null, 'onlineFrom', null, 'secret', false, 'commitment', null,
          'bundle', '[]'::jsonb, 'processKey', m.process_key
        ),
        'migrated from the catalogue before versions', 'migration', '数据迁移', now(), CASE WHEN m.active THEN now() END
      FROM matters m;
      UPDATE matters SET current_version = 1 WHERE active;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE applications DROP COLUMN matter_version; DROP TABLE matter_changes; DROP TABLE matter_versions; ALTER TABLE matters DROP COLUMN current_version');
  }
}
