import { createHash } from 'node:crypto';
import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { KitErrors } from '../http/error-codes';

export class IdempotencyKeys1763800000050 implements MigrationInterface {
  name = 'IdempotencyKeys1763800000050';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      scope text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      response jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, key)
    )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS idempotency_keys');
  }
}

/** Index for pruning expired keys by age. Services list it next to IdempotencyKeys1763800000050. */
export class IdempotencyKeysCreatedAt1763800000051 implements MigrationInterface {
  name = 'IdempotencyKeysCreatedAt1763800000051';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS idempotency_keys_created_at');
  }
}

const idempotency = { ttlSeconds: 24 * 3600 };

/** Sets how long a key is remembered (`IDEMPOTENCY_TTL_SECONDS`); `createServiceApp` calls it from the config. */
export function configureIdempotency(settings: { ttlSeconds: number }): void {
  idempotency.ttlSeconds = settings.ttlSeconds;
}

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

/** Validates an Idempotency-Key header value, with a message that says what to send. */
export function requireIdempotencyKey(header: string | string[] | undefined): string {
  const key = Array.isArray(header) ? header[0] : header;
  if (!key) throw KitErrors.error('IdempotencyKeyMissing', 'Send an Idempotency-Key header (8-128 characters: letters, digits, _ . : -), e.g. a UUID, so a retried request is not applied twice.');
  if (!KEY_PATTERN.test(key)) throw KitErrors.error('IdempotencyKeyInvalid', 'The Idempotency-Key header must be 8-128 characters of letters, digits, _ . : or -.');
  return key;
}

function hashRequest(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/**
 * Runs `work` once per (scope, key): the key row, the work's writes and the stored response commit together.
 * A retry with the same key and request gets the stored response (`replayed: true`); the same key with a different
 * request is refused with 409. A concurrent duplicate waits on the key's row lock and then replays. A key older than
 * the TTL (`IDEMPOTENCY_TTL_SECONDS`) is forgotten: the request is treated as new and takes the key over.
 */
export async function runIdempotent<T>(
  ds: DataSource,
  scope: string,
  key: string,
  request: unknown,
  work: (manager: EntityManager) => Promise<T>,
  options: { ttlSeconds?: number } = {},
): Promise<{ result: T; replayed: boolean }> {
  const requestHash = hashRequest(request);
  const ttlSeconds = options.ttlSeconds ?? idempotency.ttlSeconds;
  return ds.transaction(async (manager) => {
    // A new key is inserted; an expired one is taken over (its row is locked either way, so duplicates wait).
    const inserted = await manager.query<unknown[]>(
      `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, response = NULL, created_at = now()
         WHERE idempotency_keys.created_at < now() - make_interval(secs => $4)
       RETURNING key`,
      [scope, key, requestHash, ttlSeconds],
    );
    if (inserted.length === 0) {
      const rows = await manager.query<{ request_hash: string; response: T }[]>(
        `SELECT request_hash, response FROM idempotency_keys WHERE scope = $1 AND key = $2`,
        [scope, key],
      );
      const row = rows[0];
      if (!row) throw new Error('idempotency key vanished');
      if (row.request_hash !== requestHash) {
        throw KitErrors.error('IdempotencyKeyReused', 'This Idempotency-Key was already used for a different request; use a new key for a new request.');
      }
      return { result: row.response, replayed: true };
    }
    const result = await work(manager);
    await manager.query(`UPDATE idempotency_keys SET response = $3 WHERE scope = $1 AND key = $2`, [scope, key, JSON.stringify(result)]);
    return { result, replayed: false };
  });
}

/** Deletes keys older than `ttlSeconds`, at most `batchSize` rows per statement, until none is left. */
export async function pruneIdempotencyKeys(ds: DataSource, ttlSeconds: number, batchSize = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await ds.query<unknown>(
      `DELETE FROM idempotency_keys WHERE ctid IN (
         SELECT ctid FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1) LIMIT $2 FOR UPDATE SKIP LOCKED
       ) RETURNING 1`,
      [ttlSeconds, batchSize],
    );
    const deleted = affectedRows(result);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/** TypeORM answers a DELETE on PostgreSQL with [rows, rowCount]. */
function affectedRows(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') return result[1];
  return Array.isArray(result) ? result.length : 0;
}
