/** How a batch writer reports what it could not write (it never throws at its callers). */
export interface BatchWriterLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface BatchWriterOptions<T> {
  /** Writes one batch; throws to have it retried. */
  write: (batch: T[]) => Promise<void>;
  logger: BatchWriterLogger;
  /** Most items per write. Default 200. */
  batchSize?: number;
  /** Pause before retrying a failed write. Default 500 ms. */
  retryDelayMs?: number;
  /**
   * A single item whose write keeps failing with a permanent error (`isPermanent`) is logged in full and dropped
   * after this many attempts. Default 5. Other failures (the database is down) are retried until they pass.
   */
  maxAttempts?: number;
  /** Default: PostgreSQL data and integrity errors (SQLSTATE classes 22 and 23). */
  isPermanent?: (e: unknown) => boolean;
  /** What the log line calls an item. */
  what?: string;
}

/**
 * Collects items written off the request's critical path and writes them in batches, one write at a time, in
 * order. Nothing is dropped for volume: under a flood the batches simply get fuller. A failed batch is retried
 * item by item, so one bad item cannot hold back the others; an item refused for its content after `maxAttempts`
 * is logged in full (the log is the last resort) and dropped. While the store is unreachable, items wait.
 */
export class BatchWriter<T> {
  private readonly queue: Array<{ item: T; attempts: number }> = [];
  private running?: Promise<void>;
  private readonly batchSize: number;
  private readonly retryDelayMs: number;
  private readonly maxAttempts: number;

  constructor(private readonly options: BatchWriterOptions<T>) {
    this.batchSize = options.batchSize ?? 200;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  /** Queues an item; returns at once. */
  push(item: T): void {
    this.queue.push({ item, attempts: 0 });
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
  }

  /** Items not yet written. */
  get pending(): number {
    return this.queue.length;
  }

  /** Resolves once everything queued so far (and anything queued meanwhile) is written or given up on. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    // Let the request that queued the item finish first; items queued meanwhile join the batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    let single = false;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, single ? 1 : this.batchSize);
      try {
        await this.options.write(batch.map((b) => b.item));
        this.queue.splice(0, batch.length);
        single = false;
      } catch (e) {
        if (batch.length > 1) {
          // Find the item that fails, write the others.
          single = true;
          continue;
        }
        const head = batch[0];
        head.attempts++;
        if ((this.options.isPermanent ?? isDataError)(e) && head.attempts >= this.maxAttempts) {
          this.queue.shift();
          this.options.logger.error({ err: e, item: head.item }, `${this.options.what ?? 'item'} could not be written after ${head.attempts} attempts; logged here instead`);
          single = false;
          continue;
        }
        this.options.logger.warn({ err: e, pending: this.queue.length }, `${this.options.what ?? 'item'} batch write failed; retrying`);
        await new Promise<void>((resolve) => setTimeout(resolve, this.retryDelayMs));
      }
    }
  }
}

/** PostgreSQL SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation). */
export function isDataError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { code, driverError } = e as { code?: unknown; driverError?: { code?: unknown } };
  const sqlState = typeof code === 'string' ? code : typeof driverError?.code === 'string' ? driverError.code : undefined;
  return sqlState !== undefined && /^2[23]/.test(sqlState);
}
