import { enqueueEvents } from '@gov/messaging';
import { LOGGER, runIdempotent } from '@gov/service-kit';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { SUPERVISION_CONFIG, type SupervisionConfig } from '../config';
import { demoEvents } from './demo-data';

const TEN_YEARS = 10 * 365 * 24 * 3600;

/**
 * The supervision demo (`DEMO_SEED`: on by default outside production, refused in production): the demo cases'
 * events written once per database to supervision's outbox, like the ingestion seam's, so its own consumers, scans
 * and statistics turn them into lights, anomalies and figures exactly as they would real ones. Nothing is in the
 * migrations.
 */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(SUPERVISION_CONFIG) private readonly config: SupervisionConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.demoSeed) await this.run();
  }

  async run(): Promise<{ written: number }> {
    if (this.config.NODE_ENV === 'production') throw new Error('supervision: the demo seed never runs in production');
    const { result, replayed } = await runIdempotent(
      this.ds,
      'supervision:demo-seed',
      'demo-seed-v1',
      {},
      async (m) => {
        const events = demoEvents(this.clock.now());
        await enqueueEvents(m, events);
        return { written: events.length };
      },
      { ttlSeconds: TEN_YEARS },
    );
    if (!replayed) this.logger.warn({ written: result.written }, 'demo supervision events seeded (DEMO_SEED; never in production)');
    return replayed ? { written: 0 } : result;
  }
}
