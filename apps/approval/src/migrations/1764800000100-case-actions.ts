import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnlySql } from '@gov/service-kit';

/**
 * The officers' task actions (issue 9 §2): `case_actions`, a @gov/ledger ledger (one hash chain per case,
 * append-only) recording every unclaim, return, take-back, transfer, suspension and resumption with its reason,
 * officer and time; `case_action_requests`, the Idempotency-Key of each action (pending while the engine is asked,
 * done with the answer); `case_suspensions`, the clock suspensions, at most one open per case (a partial unique index,
 * so two officers suspending at once cannot both succeed).
 */
export class CaseActions1764800000100 implements MigrationInterface {
  name = 'CaseActions1764800000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_actions (
        id bigserial PRIMARY KEY,
        case_number text NOT NULL,
        action text NOT NULL,
        task_id text,
        step text,
        officer_id text NOT NULL,
        officer_label text NOT NULL,
        reason text,
        details jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        chain_partition text COLLATE "C" NOT NULL,
        chain_seq bigint NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL UNIQUE,
        CONSTRAINT case_actions_chain UNIQUE (chain_partition, chain_seq)
      );
      ${appendOnlySql('case_actions')}
      CREATE TABLE case_action_requests (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status text NOT NULL,
        result jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key),
        CONSTRAINT case_action_requests_status_check CHECK (status IN ('pending', 'done'))
      );
      CREATE TABLE case_suspensions (
        id uuid PRIMARY KEY,
        case_number text NOT NULL,
        process_instance_id text NOT NULL,
        reason text NOT NULL,
        expected_days int NOT NULL,
        suspended_by text NOT NULL,
        suspended_at timestamptz NOT NULL,
        resumed_by text,
        resumed_at timestamptz,
        CONSTRAINT case_suspensions_expected_days_check CHECK (expected_days > 0)
      );
      CREATE UNIQUE INDEX case_suspensions_one_open ON case_suspensions (case_number) WHERE resumed_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE case_suspensions, case_action_requests, case_actions');
  }
}
