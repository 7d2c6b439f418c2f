import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox and inbox tables. The engine's outbox plugin writes the same `outbox` layout, so one relay serves both.
 * A NOTIFY on insert wakes the relay at commit time (NOTIFY is delivered only when the transaction commits).
 */
export const OUTBOX_DDL = `
CREATE TABLE IF NOT EXISTS outbox (
  seq bigserial PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  topic text NOT NULL,
  key text NOT NULL,
  type text NOT NULL,
  payload jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_notify('outbox', ''); RETURN NULL; END $$;
DROP TRIGGER IF EXISTS outbox_notify ON outbox;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
`;

export const INBOX_DDL = `
CREATE TABLE IF NOT EXISTS inbox (
  consumer text NOT NULL,
  event_id text NOT NULL,
  event_type text NOT NULL,
  subject text,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
CREATE TABLE IF NOT EXISTS dead_letters (
  id bigserial PRIMARY KEY,
  consumer text NOT NULL,
  topic text NOT NULL,
  partition int NOT NULL,
  kafka_offset text NOT NULL,
  event_id text,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (consumer, topic, partition, kafka_offset)
);
`;

/** Keeps the relay's per-key ordering check (earlier unpublished rows of the same key) cheap. */
export const OUTBOX_KEY_INDEX_DDL = `CREATE INDEX IF NOT EXISTS outbox_unpublished_key ON outbox (key, seq) WHERE published_at IS NULL`;

export class OutboxKeyIndex1763800000001 implements MigrationInterface {
  name = 'OutboxKeyIndex1763800000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(OUTBOX_KEY_INDEX_DDL);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS outbox_unpublished_key');
  }
}

/**
 * The relay's lease: rows are claimed with a short statement that sets `lease_until`, sent to Kafka outside any
 * transaction, then marked published. A relay that dies mid-send leaves rows that another relay claims once the lease
 * ran out (published again, deduplicated by event id). The engine's plugin adds the same column to its outbox.
 */
export const OUTBOX_LEASE_DDL = `ALTER TABLE outbox ADD COLUMN IF NOT EXISTS lease_until timestamptz`;

export class OutboxLease1764900000001 implements MigrationInterface {
  name = 'OutboxLease1764900000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(OUTBOX_LEASE_DDL);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox DROP COLUMN IF EXISTS lease_until');
  }
}

/** Include this migration in every service that produces or consumes events. */
export class MessagingTables1763800000000 implements MigrationInterface {
  name = 'MessagingTables1763800000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(OUTBOX_DDL);
    await q.query(INBOX_DDL);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS dead_letters; DROP TABLE IF EXISTS inbox; DROP TABLE IF EXISTS outbox; DROP FUNCTION IF EXISTS outbox_notify()');
  }
}
