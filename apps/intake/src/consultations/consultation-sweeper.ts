import { LOGGER, Periodic, PeriodicService } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { ConsultationsRepository } from './consultations.repository';
import { ConsultationsService } from './consultations.service';

const BATCH = 100;

/**
 * Reports consultations whose due time passed unanswered (gov.intake.consultation.overdue), once each: the row is
 * marked overdue in the transaction that writes the event to the outbox. Due rows are locked FOR UPDATE SKIP LOCKED,
 * so two replicas sweeping at once never report the same one twice. Runs every INTAKE_SWEEP_INTERVAL_MS (0: off).
 */
@Injectable()
export class ConsultationSweeper extends PeriodicService {
  protected readonly periodic: Periodic;

  constructor(
    private readonly ds: DataSource,
    private readonly repo: ConsultationsRepository,
    private readonly consultations: ConsultationsService,
    private readonly clock: Clock,
    @Inject(INTAKE_CONFIG) config: IntakeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
    this.periodic = new Periodic(
      config.INTAKE_SWEEP_INTERVAL_MS,
      async () => {
        const ids = await this.sweep();
        if (ids.length > 0) this.logger.info({ overdue: ids }, 'consultation sweep');
      },
      (e) => this.logger.error({ err: e }, 'consultation sweep failed; trying again next round'),
    );
  }


  /** One round: every consultation gone overdue since the last, in batches. Returns their ids. */
  async sweep(): Promise<string[]> {
    const out: string[] = [];
    while ((await this.batch(out)) === BATCH);
    return out;
  }

  private batch(out: string[]): Promise<number> {
    return this.ds.transaction(async (manager) => {
      const now = this.clock.now();
      const due = await this.repo.lockOverdue(manager, now, BATCH);
      for (const row of due) {
        await this.consultations.markOverdue(manager, row, now);
        out.push(row.id);
      }
      return due.length;
    });
  }
}
