import { Client, Pool, type PoolConfig } from 'pg';
import type { Logger } from 'pino';
import type { BusProducer, OutgoingMessage } from './bus';

export interface RelayOptions {
  /** Connection to the database that holds the outbox table (a service's own, or the engine's). */
  connection: PoolConfig;
  producer: BusProducer;
  logger: Logger;
  table?: string;
  batchSize?: number;
  /** Fallback poll when no NOTIFY arrives (NOTIFY is the fast path). */
  pollIntervalMs?: number;
  /** Published rows older than this are deleted. */
  retainPublishedMs?: number;
  /** Called with each batch's size and the age in ms of its oldest row, for metrics. */
  onPublished?: (count: number, oldestAgeMs: number) => void;
  /** Fault injection for tests only: runs after Kafka acknowledged a batch and before the rows are marked. */
  afterPublishBeforeMark?: () => void;
}

interface OutboxRow {
  seq: string;
  id: string;
  topic: string;
  key: string;
  type: string;
  payload: unknown;
  headers: Record<string, string>;
  created_at: Date;
}

/**
 * Publishes committed outbox rows to Kafka, at least once, in commit-visible order per key.
 * It never tails by timestamp or sequence: it claims every row that is still unpublished (FOR UPDATE SKIP LOCKED),
 * so a transaction that commits late is still picked up. Consumers dedupe by event id, which makes delivery
 * exactly-once in effect, including after a crash between publishing and marking.
 */
export class OutboxRelay {
  private readonly pool: Pool;
  private listener?: Client;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private notified = false;
  private readonly table: string;
  private lastCleanup = 0;

  constructor(private readonly options: RelayOptions) {
    this.table = options.table ?? 'outbox';
    if (!/^[a-z_][a-z0-9_]*$/.test(this.table)) throw new Error(`invalid outbox table name ${this.table}`);
    this.pool = new Pool({ ...options.connection, max: 2 });
    this.pool.on('error', (e) => options.logger.warn({ err: e }, 'outbox relay pool error'));
  }

  async start(): Promise<void> {
    this.running = true;
    await this.listen();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  /** Publishes everything currently unpublished; returns how many rows were published. Exposed for tests and tools. */
  async drainOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch();
      total += n;
      if (n < (this.options.batchSize ?? 200)) return total;
    }
  }

  async unpublishedCount(): Promise<number> {
    const res = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.table} WHERE published_at IS NULL`);
    return Number(res.rows[0]?.n ?? 0);
  }

  /** LISTEN on its own connection; while it is down the relay polls, and it reconnects with backoff until stopped. */
  private async listen(attempt = 0): Promise<void> {
    const client = new Client(this.options.connection);
    const retry = () => {
      if (!this.running) return;
      setTimeout(() => void this.listen(attempt + 1), Math.min(1000 * 2 ** attempt, 30_000)).unref();
    };
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    client.on('error', (e) => {
      this.options.logger.warn({ err: e }, 'outbox LISTEN connection lost; polling until it returns');
      if (this.listener === client) this.listener = undefined;
      client.end().catch(() => undefined);
      retry();
    });
    try {
      await client.connect();
      await client.query('LISTEN outbox');
      if (!this.running) {
        await client.end();
        return;
      }
      this.listener = client;
      attempt = 0;
    } catch (e) {
      this.options.logger.warn({ err: e, attempt }, 'outbox LISTEN unavailable; polling and retrying');
      await client.end().catch(() => undefined);
      retry();
    }
  }

  private async run(): Promise<void> {
    let backoff = 200;
    while (this.running) {
      try {
        this.notified = false;
        const n = await this.publishBatch();
        backoff = 200;
        if (n > 0) continue;
        await this.maybeCleanup();
      } catch (e) {
        this.options.logger.error({ err: e }, 'outbox relay batch failed; will retry');
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
        continue;
      }
      await this.sleep(this.options.pollIntervalMs ?? 500);
    }
  }

  private async publishBatch(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(
        // A row waits while an earlier unpublished row of the same key exists (held by another relay or not yet
        // sent), so several relays on one outbox never reorder a case's events.
        `SELECT o.seq, o.id, o.topic, o.key, o.type, o.payload, o.headers, o.created_at FROM ${this.table} o
          WHERE o.published_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM ${this.table} e WHERE e.key = o.key AND e.seq < o.seq AND e.published_at IS NULL)
          ORDER BY o.seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize ?? 200],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const byTopic = new Map<string, OutgoingMessage[]>();
      for (const row of rows) {
        const list = byTopic.get(row.topic) ?? [];
        list.push({ key: row.key, value: JSON.stringify(row.payload), headers: { ...row.headers, 'ce-id': row.id, 'ce-type': row.type } });
        byTopic.set(row.topic, list);
      }
      for (const [topic, messages] of byTopic) await this.options.producer.send(topic, messages);
      this.options.afterPublishBeforeMark?.();
      await client.query(`UPDATE ${this.table} SET published_at = now() WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);
      await client.query('COMMIT');
      const oldest = Math.min(...rows.map((r) => r.created_at.getTime()));
      this.options.onPublished?.(rows.length, Date.now() - oldest);
      return rows.length;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  private async maybeCleanup(): Promise<void> {
    const retain = this.options.retainPublishedMs ?? 7 * 24 * 3600 * 1000;
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    await this.pool.query(`DELETE FROM ${this.table} WHERE published_at < now() - ($1::bigint * interval '1 millisecond')`, [retain]);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.notified || !this.running) {
        resolve();
        return;
      }
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
