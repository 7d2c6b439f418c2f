import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnlySql } from '@gov/service-kit';

/**
 * Opinions move onto @gov/ledger: one chain per case (`chain_partition` = case number, `chain_seq`), so completions
 * of different cases no longer wait on one global lock. Existing rows are not touched: they keep a null partition
 * and form the frozen legacy chain (old hash, id order), whose head at migration time is recorded in
 * `ledger_legacy_heads` ("migrated from the legacy chain at id N / hash H").
 */
export class OpinionsLedger1763800000202 implements MigrationInterface {
  name = 'OpinionsLedger1763800000202';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE opinions ADD COLUMN chain_partition text COLLATE "C", ADD COLUMN chain_seq bigint;
      CREATE UNIQUE INDEX opinions_chain ON opinions (chain_partition, chain_seq);
      CREATE TABLE ledger_legacy_heads (
        ledger text PRIMARY KEY,
        records bigint NOT NULL,
        last_seq bigint,
        last_hash text,
        migrated_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO ledger_legacy_heads (ledger, records, last_seq, last_hash)
        SELECT 'approval.opinions', count(*), max(id), (SELECT hash FROM opinions ORDER BY id DESC LIMIT 1) FROM opinions;
      ${appendOnlySql('ledger_legacy_heads')}
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_legacy_heads; DROP INDEX opinions_chain; ALTER TABLE opinions DROP COLUMN chain_seq, DROP COLUMN chain_partition`);
  }
}
