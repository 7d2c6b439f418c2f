import { LOGGER } from '@gov/service-kit';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { NoticeClock, NoticeIssuer } from './notice-issuer.service';
import { NoticesRepository } from './notices.repository';

/** Finishes notices left `sealing` (identity was down, the process stopped, a caller only recorded one). */
@Injectable()
export class NoticeSealer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly repo: NoticesRepository,
    private readonly issuer: NoticeIssuer,
    private readonly clock: NoticeClock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.NOTICE_SEAL_RETRY_INTERVAL_MS > 0) {
      this.timer = setInterval(() => void this.sealDue().catch((e: unknown) => this.logger.warn({ err: e }, 'notice sealing round failed')), this.config.NOTICE_SEAL_RETRY_INTERVAL_MS);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One round: every notice due for sealing, one at a time. Resolves to how many ended sealed. */
  sealDue(): Promise<number> {
    this.running ??= (async () => {
      let sealed = 0;
      for (const id of await this.repo.dueForSealing(this.clock.now(), 50)) {
        if ((await this.issuer.complete(id)).status === 'sealed') sealed++;
      }
      return sealed;
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
