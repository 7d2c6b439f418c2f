import { LOGGER } from '@gov/service-kit';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { DEMO_MATTERS } from './demo-data';
import { SeedRepository } from './seed.repository';

/**
 * The demo catalogue, outside production only (`DEMO_SEED`, on by default in development and test; the configuration
 * refuses it in production). Runs before the service listens, so the stack tool's `--demo` application finds its
 * matter as soon as intake is ready.
 */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  constructor(
    private readonly repo: SeedRepository,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.demoSeed) await this.run();
  }

  async run(): Promise<{ written: number }> {
    if (this.config.NODE_ENV === 'production') throw new Error('intake: the demo seed never runs in production');
    let written = 0;
    for (const matter of DEMO_MATTERS) if (await this.repo.putInForce(matter)) written++;
    if (written > 0) this.logger.warn({ written }, 'demo matters seeded (DEMO_SEED; never in production)');
    return { written };
  }
}
