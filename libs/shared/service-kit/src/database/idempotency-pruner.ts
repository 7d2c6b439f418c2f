import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { LOGGER } from '../kit.tokens';
import { pruneIdempotencyKeys } from './idempotency';

/**
 * Deletes expired idempotency keys every `intervalSeconds`, in bounded batches. Every service gets it from the
 * ServiceKitModule; it does nothing in a service without a database or without the idempotency_keys table.
 */
@Injectable()
export class IdempotencyPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private settings = { ttlSeconds: 24 * 3600, intervalSeconds: 600 };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  configure(settings: { ttlSeconds: number; intervalSeconds: number }): void {
    this.settings = settings;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.pruneOnce()
        .then(() => undefined)
        .finally(() => (this.running = undefined));
    }, this.settings.intervalSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass: the number of keys deleted (0 when the service has no idempotency_keys table). */
  async pruneOnce(): Promise<number> {
    const ds = this.dataSource();
    if (!ds?.isInitialized) return 0;
    try {
      const rows = await ds.query<Array<{ t: string | null }>>(`SELECT to_regclass('idempotency_keys')::text AS t`);
      if (!rows[0]?.t) return 0;
      const deleted = await pruneIdempotencyKeys(ds, this.settings.ttlSeconds);
      if (deleted > 0) this.logger.info({ deleted, ttlSeconds: this.settings.ttlSeconds }, 'expired idempotency keys pruned');
      return deleted;
    } catch (e) {
      this.logger.warn({ err: e }, 'pruning idempotency keys failed; will retry');
      return 0;
    }
  }

  private dataSource(): DataSource | undefined {
    try {
      return this.moduleRef.get(DataSource, { strict: false });
    } catch {
      return undefined;
    }
  }
}
