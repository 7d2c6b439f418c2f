import { OUTBOX_DDL, OUTBOX_KEY_INDEX_DDL } from '@gov/messaging';
import { appendOnlySql } from '@gov/service-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail moves onto @gov/ledger: one chain per service (`chain_partition`, `chain_seq`), appends to
 * different services' chains no longer wait on each other, and `seq` (the global listing order) comes from a
 * sequence. Rows written before this migration are not touched: they keep a null partition and form the frozen
 * legacy chain, whose head at migration time is recorded in `ledger_legacy_heads` ("migrated from the legacy chain
 * at seq N / hash H"), so a legacy record added or removed afterwards is detected.
 *
 * Also: the anchoring key (certified by the issuing CA) and the signed heads it produced; anchors are published
 * through the outbox (created here if the platform-audit migration has not yet).
 */
export class AuditLedger1763830000004 implements MigrationInterface {
  name = 'AuditLedger1763830000004';

  async up(q: QueryRunner): Promise<void> {
    // IF NOT EXISTS: the platform-audit migration adds the same two columns.
    await q.query(`ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS service varchar(32) NOT NULL DEFAULT 'identity'`);
    await q.query(`ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS trace_id varchar(64)`);
    await q.query(`ALTER TABLE audit_log ADD COLUMN chain_partition text COLLATE "C", ADD COLUMN chain_seq bigint`);
    await q.query(`CREATE UNIQUE INDEX audit_log_chain ON audit_log (chain_partition, chain_seq)`);
    await q.query(`CREATE INDEX audit_log_service ON audit_log (service, seq)`);
    await q.query(`CREATE INDEX audit_log_trace ON audit_log (trace_id)`);
    await q.query(`CREATE SEQUENCE audit_log_seq_seq OWNED BY audit_log.seq`);
    await q.query(`SELECT setval('audit_log_seq_seq', coalesce((SELECT max(seq) FROM audit_log), 0) + 1, false)`);
    await q.query(`ALTER TABLE audit_log ALTER COLUMN seq SET DEFAULT nextval('audit_log_seq_seq')`);
    await q.query(`DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gov_app') THEN GRANT USAGE, SELECT ON SEQUENCE audit_log_seq_seq TO gov_app; END IF; END $$`);

    await q.query(`
      CREATE TABLE ledger_legacy_heads (
        ledger text PRIMARY KEY,
        records bigint NOT NULL,
        last_seq bigint,
        last_hash text,
        migrated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO ledger_legacy_heads (ledger, records, last_seq, last_hash)
      SELECT 'identity.audit', count(*), max(seq), (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1) FROM audit_log`);
    await q.query(appendOnlySql('ledger_legacy_heads'));

    await q.query(`
      CREATE TABLE ledger_anchor_keys (
        id uuid PRIMARY KEY,
        cert_pem text NOT NULL,
        private_key_enc text NOT NULL,
        not_after timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ledger_anchors (
        id bigserial PRIMARY KEY,
        ledger text NOT NULL,
        partition text COLLATE "C" NOT NULL,
        seq bigint NOT NULL,
        hash char(64) NOT NULL,
        anchored_at timestamptz NOT NULL,
        signature text NOT NULL,
        submitted_by text NOT NULL,
        UNIQUE (ledger, partition, seq)
      )`);
    await q.query(appendOnlySql('ledger_anchors'));
    await q.query(OUTBOX_DDL);
    await q.query(OUTBOX_KEY_INDEX_DDL);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_anchors, ledger_anchor_keys, ledger_legacy_heads`);
    await q.query(`ALTER TABLE audit_log ALTER COLUMN seq DROP DEFAULT`);
    await q.query(`DROP SEQUENCE audit_log_seq_seq`);
    await q.query(`DROP INDEX audit_log_trace, audit_log_service, audit_log_chain`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN chain_seq, DROP COLUMN chain_partition`);
  }
}
