import { AppError, LOGGER, Periodic, PeriodicService } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import { PendingCompletionsRepository } from './pending-completions.repository';
import { StepCompleter } from './step-completer';

/**
 * Finishes the completions a crash (or an engine outage) left pending, at start and then periodically. Each is
 * driven forward by the same `StepCompleter.settle` the request used: if the engine completed the task with the
 * completion's id, the opinion is appended and confirmed; if the task is still open, the completion is retried (the
 * officer's opinion was accepted and recorded, so it is carried out rather than dropped); if someone else completed
 * or took the task, the completion is abandoned. Rows are leased, not locked, while the engine is asked.
 */
@Injectable()
export class CompletionReconciler extends PeriodicService {
  protected readonly periodic: Periodic;

  constructor(
    @Inject(APPROVAL_CONFIG) private readonly config: ApprovalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly pending: PendingCompletionsRepository,
    private readonly completer: StepCompleter,
  ) {
    super();
    this.periodic = new Periodic(config.RECONCILE_INTERVAL_MS, () => this.reconcileOnce(), (e) => logger.error({ err: e }, 'reconciling pending completions failed; will retry'), { atStart: true });
  }


  /** One pass over the stale pending completions; returns how many it settled (confirmed or abandoned). */
  async reconcileOnce(): Promise<number> {
    let settled = 0;
    for (;;) {
      const rows = await this.pending.leaseStale(this.config.RECONCILE_AFTER_MS, 60_000);
      if (rows.length === 0 || this.periodic.stopping) return settled;
      for (const row of rows) {
        try {
          await this.completer.settle(row);
          settled += 1;
          this.logger.info({ taskId: row.taskId, caseId: row.caseNumber, completion: row.id }, 'pending completion confirmed');
        } catch (e) {
          if (e instanceof AppError && e.status < 500) {
            settled += 1;
            this.logger.warn({ taskId: row.taskId, caseId: row.caseNumber, completion: row.id, code: e.code }, 'pending completion abandoned');
          } else {
            // The engine is away: the lease expires and a later pass tries again.
            this.logger.warn({ err: e, taskId: row.taskId, completion: row.id }, 'pending completion left for a later pass');
          }
        }
      }
      if (rows.length < 50) return settled;
    }
  }
}
