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
  /**
   * How long a claimed batch is the relay's alone while it is sent (default 30 s, above the producer's request timeout):
   * rows a dead relay claimed wait this long before another relay sends them again.
   */
  leaseMs?: number;
  /** Fault injection for tests only: runs after Kafka acknowledged a batch and before the rows are marked. */
  afterPublishBeforeMark?: () => void;
}

/** An event as the relay published it: its type and the CloudEvent it wrote to the outbox. */
export interface PublishedEvent {
  type: string;
  payload: unknown;
}

/**
 * Runs on every batch once Kafka has it and the rows are marked (batches in order, one after another, beside the
 * relay's loop, which goes on publishing): a service's own read model of events it relays
 * itself can apply them at once instead of waiting for them to come back from Kafka (whose delivery stays the
 * reliable path; a tap must be idempotent with it). A failing tap is logged and changes nothing.
 */
export type RelayTap = (events: PublishedEvent[]) => Promise<void>;

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
 * It never tails by timestamp or sequence: it claims every row that is still unpublished, so a transaction that
 * commits late is still picked up. No transaction or lock is held while Kafka is asked: a batch is claimed by one
 * statement that leases it (`lease_until`; FOR UPDATE SKIP LOCKED only for that statement), sent, then marked.
 * Consumers dedupe by event id, which makes delivery exactly-once in effect, including after a crash between
 * publishing and marking (the lease runs out and the rows are sent again).
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
  private readonly taps: RelayTap[] = [];
  private tapped: Promise<void> = Promise.resolve();

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
    await this.tapped;
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  /** Publishes everything currently unpublished; returns how many rows were published. Exposed for tests and tools. */
  async drainOnce(): Promise<number> {
    let total = 0;
    // Until a claim finds nothing: a short batch does not mean the end (a batch holds one row per key at most).
    for (;;) {
      const n = await this.publishBatch();
      total += n;
      if (n === 0) break;
    }
    await this.tapped;
    return total;
  }

  /** Adds a tap: called with each published batch (see RelayTap). */
  tap(fn: RelayTap): void {
    this.taps.push(fn);
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
    const { rows } = await this.pool.query<OutboxRow>(
      // A row waits while an earlier unpublished row of the same key exists (leased by another relay or not yet
      // sent), so several relays on one outbox never reorder a case's events; a row leased by a live relay is skipped.
      `WITH claimed AS (
         UPDATE ${this.table} SET lease_until = now() + ($2::bigint * interval '1 millisecond')
          WHERE seq IN (SELECT o.seq FROM ${this.table} o
                         WHERE o.published_at IS NULL AND (o.lease_until IS NULL OR o.lease_until < now())
                           AND NOT EXISTS (SELECT 1 FROM ${this.table} e WHERE e.key = o.key AND e.seq < o.seq AND e.published_at IS NULL)
                         ORDER BY o.seq LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING seq, id, topic, key, type, payload, headers, created_at)
       SELECT * FROM claimed ORDER BY seq`,
      [this.options.batchSize ?? 200, this.options.leaseMs ?? 30_000],
    );
    if (rows.length === 0) return 0;
    const seqs = rows.map((r) => r.seq);
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const row of rows) {
      const list = byTopic.get(row.topic) ?? [];
      list.push({ key: row.key, value: JSON.stringify(row.payload), headers: { ...row.headers, 'ce-id': row.id, 'ce-type': row.type } });
      byTopic.set(row.topic, list);
    }
    try {
      for (const [topic, messages] of byTopic) await this.options.producer.send(topic, messages);
    } catch (e) {
      // Give the batch back at once rather than after the lease: the next attempt (this relay's or another's) sends it.
      await this.pool.query(`UPDATE ${this.table} SET lease_until = NULL WHERE seq = ANY($1::bigint[]) AND published_at IS NULL`, [seqs]).catch(() => undefined);
      throw e;
    }
    this.options.afterPublishBeforeMark?.();
    await this.pool.query(`UPDATE ${this.table} SET published_at = now(), lease_until = NULL WHERE seq = ANY($1::bigint[])`, [seqs]);
    const oldest = Math.min(...rows.map((r) => r.created_at.getTime()));
    this.options.onPublished?.(rows.length, Date.now() - oldest);
    // The taps run one batch after another, but beside the relay: the next batch is not held up by a read model.
    if (this.taps.length > 0) {
      const events = rows.map((r) => ({ type: r.type, payload: r.payload }));
      this.tapped = this.tapped.then(async () => {
        for (const tap of this.taps) {
          await tap(events).catch((e: unknown) => this.options.logger.warn({ err: e }, 'an outbox relay tap failed; its events still arrive through Kafka'));
        }
      });
    }
    return rows.length;
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
