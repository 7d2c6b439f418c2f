import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnlySql } from '@gov/service-kit';

/**
 * The alert ledger moves onto @gov/ledger: one chain per case (`chain_partition` = case number, `chain_seq`), so
 * alerts of different cases no longer wait on one global lock. Existing rows are not touched: they keep a null
 * partition and form the frozen legacy chain (old hash, seq order), whose head at migration time is recorded in
 * `ledger_legacy_heads` ("migrated from the legacy chain at seq N / hash H").
 */
export class AlertsLedger1763800000302 implements MigrationInterface {
  name = 'AlertsLedger1763800000302';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE alerts ADD COLUMN chain_partition text COLLATE "C", ADD COLUMN chain_seq bigint;
      CREATE UNIQUE INDEX alerts_chain ON alerts (chain_partition, chain_seq);
      CREATE TABLE ledger_legacy_heads (
        ledger text PRIMARY KEY,
        records bigint NOT NULL,
        last_seq bigint,
        last_hash text,
        migrated_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO ledger_legacy_heads (ledger, records, last_seq, last_hash)
        SELECT 'supervision.alerts', count(*), max(seq), (SELECT hash FROM alerts ORDER BY seq DESC LIMIT 1) FROM alerts;
      ${appendOnlySql('ledger_legacy_heads')}
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_legacy_heads; DROP INDEX alerts_chain; ALTER TABLE alerts DROP COLUMN chain_seq, DROP COLUMN chain_partition`);
  }
}
