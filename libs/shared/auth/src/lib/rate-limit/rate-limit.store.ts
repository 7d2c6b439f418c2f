import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

/** Fixed-window counters shared by every replica: one row per key, updated with one atomic UPSERT per hit. */
export const RATE_LIMIT_DDL = `
CREATE TABLE IF NOT EXISTS rate_limits (
  key text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  window_seconds int NOT NULL,
  hits int NOT NULL
);
`;

/** Include this migration in every service that uses the auth kit (its limits live in the service's database). */
export class RateLimits1763800000060 implements MigrationInterface {
  name = 'RateLimits1763800000060';
  async up(q: QueryRunner): Promise<void> {
    await q.query(RATE_LIMIT_DDL);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS rate_limits');
  }
}

export interface RateLimitHit {
  /** Hits in the current window, this one included. */
  hits: number;
  /** When the current window ends. */
  resetAt: Date;
}

export interface RateLimitStore {
  hit(key: string, windowSeconds: number): Promise<RateLimitHit>;
}

export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');

/** Keeps the counters in PostgreSQL, so replicas share them. Expired rows are pruned at most once a minute. */
export class PgRateLimitStore implements RateLimitStore {
  private lastPrune = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly pruneEveryMs = 60_000,
  ) {}

  async hit(key: string, windowSeconds: number): Promise<RateLimitHit> {
    const rows = await this.ds.query<Array<{ hits: number; reset_at: Date }>>(
      `INSERT INTO rate_limits AS r (key, window_start, window_seconds, hits) VALUES ($1, now(), $2, 1)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.window_start + make_interval(secs => r.window_seconds) <= now() THEN 1 ELSE r.hits + 1 END,
         window_start = CASE WHEN r.window_start + make_interval(secs => r.window_seconds) <= now() THEN now() ELSE r.window_start END,
         window_seconds = EXCLUDED.window_seconds
       RETURNING hits, window_start + make_interval(secs => window_seconds) AS reset_at`,
      [key, windowSeconds],
    );
    this.maybePrune();
    return { hits: rows[0].hits, resetAt: new Date(rows[0].reset_at) };
  }

  /** Deletes windows that ended; returns how many. */
  async prune(): Promise<number> {
    const res = await this.ds.query<[unknown[], number]>(`DELETE FROM rate_limits WHERE window_start + make_interval(secs => window_seconds) < now()`);
    return res[1];
  }

  private maybePrune(): void {
    const now = Date.now();
    if (now - this.lastPrune < this.pruneEveryMs) return;
    this.lastPrune = now;
    this.prune().catch(() => undefined);
  }
}
