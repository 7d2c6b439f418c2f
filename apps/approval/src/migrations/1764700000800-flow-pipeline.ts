import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnlySql } from '@gov/service-kit';

/**
 * The analysts' deploy pipeline: submissions (check report, review, filing, deployment) and its ledger
 * (flow_pipeline_log, one hash chain per submission, append-only) recording every step (seed 004 art. 14).
 */
export class FlowPipeline1764700000800 implements MigrationInterface {
  name = 'FlowPipeline1764700000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE flow_submissions (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        process_key text NOT NULL,
        file_name text NOT NULL,
        bpmn_xml text NOT NULL,
        bpmn_sha256 text NOT NULL,
        status text NOT NULL,
        check_report jsonb NOT NULL,
        submitted_by text NOT NULL,
        submitted_at timestamptz NOT NULL,
        reviewed_by text,
        reviewed_at timestamptz,
        review_comment text,
        filing_number text,
        filed_at timestamptz,
        deployment_id text,
        process_definition_id text,
        process_definition_version int,
        deployed_at timestamptz,
        row_version int NOT NULL,
        CONSTRAINT flow_submissions_filing_number_key UNIQUE (filing_number),
        CONSTRAINT flow_submissions_status_check CHECK (status IN ('checked', 'approved', 'rejected', 'deployed'))
      );
      CREATE TABLE flow_pipeline_log (
        id bigserial PRIMARY KEY,
        submission_id text NOT NULL,
        action text NOT NULL,
        actor_id text NOT NULL,
        actor_name text NOT NULL,
        tenant_id text NOT NULL,
        process_key text NOT NULL,
        bpmn_sha256 text NOT NULL,
        details jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        chain_partition text COLLATE "C" NOT NULL,
        chain_seq bigint NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL UNIQUE,
        CONSTRAINT flow_pipeline_log_chain UNIQUE (chain_partition, chain_seq)
      );
      ${appendOnlySql('flow_pipeline_log')}
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE flow_pipeline_log, flow_submissions');
  }
}
