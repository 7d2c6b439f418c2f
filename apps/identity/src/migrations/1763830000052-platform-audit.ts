import { RATE_LIMIT_DDL } from '@gov/auth';
import { INBOX_DDL, OUTBOX_DDL, OUTBOX_KEY_INDEX_DDL } from '@gov/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platform audit trail: identity consumes every service's security events (inbox) and may publish its own
 * (outbox); audit records name their service and trace id so the trail is queryable by both; rate-limit
 * counters shared by replicas.
 */
export class PlatformAudit1763830000052 implements MigrationInterface {
  name = 'PlatformAudit1763830000052';

  async up(q: QueryRunner): Promise<void> {
    await q.query(OUTBOX_DDL);
    await q.query(INBOX_DDL);
    await q.query(OUTBOX_KEY_INDEX_DDL);
    await q.query(RATE_LIMIT_DDL);
    // IF NOT EXISTS: the ledger work adds the same columns.
    await q.query(`ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS service varchar(32) NOT NULL DEFAULT 'identity'`);
    await q.query(`ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS trace_id varchar(64)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log DROP COLUMN IF EXISTS trace_id, DROP COLUMN IF EXISTS service`);
    await q.query('DROP TABLE IF EXISTS rate_limits; DROP TABLE IF EXISTS dead_letters; DROP TABLE IF EXISTS inbox; DROP TABLE IF EXISTS outbox; DROP FUNCTION IF EXISTS outbox_notify()');
  }
}
