import { makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { LOGGER, Metrics } from '@gov/service-kit';
import { CamundaClient } from '@gov/workflow';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { SUPERVISION_CONFIG, type SupervisionConfig } from '../config';
import { StepsRepository, type StepRow } from '../steps/steps.repository';
import { AlertStreamRepository } from '../stream/alert-stream.repository';
import { TalliesService } from '../tallies/tallies.service';
import { orgOfStep } from '../steps/step-orgs';
import { AlertsRepository } from './alerts.repository';

/**
 * Turns steps yellow and red. Each scan finds steps that deserve a light they do not have yet, appends the alert to
 * the ledger and writes its event to the outbox in one transaction, so each light is written and published once.
 */
@Injectable()
export class LightMonitor {
  private timer?: NodeJS.Timeout;
  private scanning?: Promise<number>;
  private readonly raised;

  constructor(
    private readonly ds: DataSource,
    private readonly steps: StepsRepository,
    private readonly alerts: AlertsRepository,
    private readonly clock: Clock,
    @Inject(SUPERVISION_CONFIG) private readonly config: SupervisionConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
    private readonly engine: CamundaClient,
    private readonly stream: AlertStreamRepository,
    private readonly tallies: TalliesService,
  ) {
    this.raised = metrics.counter('supervision_alerts_raised_total', 'Alerts raised', ['level']);
  }

  /** Starts the periodic scan; `also` runs after each pass (order escalation, dead letters), each failure logged alone. */
  start(also: (() => Promise<unknown>)[] = []): void {
    const tick = (): void => {
      if (this.scanning) return;
      this.scanning = (async () => {
        let raised = 0;
        for (const pass of [() => this.scan().then((n) => (raised = n)), () => this.warn(), ...also]) {
          await pass().catch((e: unknown) => this.logger.error({ err: e }, 'supervision scan failed'));
        }
        return raised;
      })();
      void this.scanning.finally(() => (this.scanning = undefined));
    };
    this.timer = setInterval(tick, this.config.LIGHT_SCAN_INTERVAL_MS);
    // A transition that fell due while the service was down fires now, once (the ledger's unique keys).
    if (this.config.LIGHT_SCAN_ON_START) tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.scanning;
  }

  /** One pass; returns how many alerts were raised. Public so tests can drive it with a moved clock. */
  async scan(): Promise<number> {
    const now = this.clock.now();
    const windowMs = this.config.YELLOW_WINDOW_HOURS * 3600 * 1000;
    let raised = 0;
    for (const level of ['red', 'yellow'] as const) {
      for (const step of await this.steps.needingAlert(level, now, windowMs)) {
        if (level === 'red' && !step.closedAt && !(await this.stillOpenInEngine(step))) continue;
        if (await this.raise(step, level, now)) raised++;
      }
    }
    return raised;
  }

  /**
   * Early warnings: for each lead time, open steps due within it that have not had that warning, streamed to the
   * step's officer and section (the chief sees the section's stream). Reads the open-deadline index, in pages.
   */
  async warn(): Promise<number> {
    const now = this.clock.now();
    let raised = 0;
    for (const hours of this.config.WARNING_LEAD_HOURS) {
      const rows = await this.ds.query<Record<string, unknown>[]>(
        `SELECT s.step_id FROM steps s
          WHERE s.closed_at IS NULL AND s.deadline >= $1 AND s.deadline <= $1 + make_interval(hours => $2)
            AND NOT EXISTS (SELECT 1 FROM alert_stream a WHERE a.dedupe_key = 'warning:' || $2 || 'h:' || s.step_id)
          ORDER BY s.deadline LIMIT 500`,
        [now, hours],
      );
      for (const r of rows) {
        const step = await this.steps.get(this.ds, r.step_id as string);
        if (!step?.deadline) continue;
        const alert = await this.ds.transaction((m) =>
          this.stream.append(m, {
            kind: 'light',
            level: 'warning',
            rule: 'warning.lead-time',
            dedupeKey: `warning:${hours}h:${step.stepId}`,
            caseNumber: step.caseNumber,
            stepId: step.stepId,
            officer: step.assignee,
            orgCode: orgOfStep(step),
            tenantId: step.tenantId,
            evidence: { leadHours: hours, deadline: step.deadline!.toISOString(), stepName: step.name, hoursLeft: Math.round((step.deadline!.getTime() - now.getTime()) / 360_000) / 10 },
            raisedAt: now,
          }),
        );
        if (alert) raised++;
      }
    }
    return raised;
  }

  /**
   * Supervision's copy of a step can lag (its events not relayed yet, or dead-lettered). Before the irreversible red,
   * ask the engine: if the step in fact ended on time, record that instead. If the engine cannot answer, wait.
   */
  private async stillOpenInEngine(step: StepRow): Promise<boolean> {
    try {
      const [task] = await this.engine.historicTasks({ taskId: step.stepId });
      if (!task?.endTime) return true;
      const endedAt = new Date(task.endTime);
      await this.ds.transaction((m) => this.steps.close(m, step.stepId, endedAt, task.deleteReason === 'completed' ? 'completed' : 'cancelled'));
      this.logger.warn({ caseId: step.caseNumber, stepId: step.stepId, endedAt }, 'step had ended in the engine before supervision heard of it; closed it');
      return endedAt > step.deadline!;
    } catch (e) {
      this.logger.warn({ err: e, stepId: step.stepId }, 'engine unavailable: red deferred until it can confirm the step is open');
      return false;
    }
  }

  private async raise(step: StepRow, level: 'yellow' | 'red', now: Date): Promise<boolean> {
    return this.ds.transaction(async (manager) => {
      const alert = await this.alerts.appendOnce(manager, { stepId: step.stepId, caseNumber: step.caseNumber, level, deadline: step.deadline!, raisedAt: now });
      if (!alert) return false;
      await enqueueEvent(
        manager,
        makeEvent({
          type: 'gov.supervision.alert.raised',
          source: '/supervision',
          subject: step.caseNumber,
          tenantId: step.tenantId ?? undefined,
          id: alert.id,
          data: {
            alertId: alert.id,
            level,
            caseNumber: step.caseNumber,
            stepId: step.stepId,
            taskDefinitionKey: step.taskDefinitionKey,
            stepName: step.name,
            candidateGroups: step.candidateGroups,
            openedAt: step.openedAt.toISOString(),
            deadline: step.deadline!.toISOString(),
            raisedAt: now.toISOString(),
            hash: alert.hash,
          },
        }),
      );
      const streamed = await this.stream.append(manager, {
        kind: 'light',
        level,
        rule: `light.${level}`,
        dedupeKey: `light:${level}:${step.stepId}`,
        caseNumber: step.caseNumber,
        stepId: step.stepId,
        officer: step.assignee,
        orgCode: orgOfStep(step),
        tenantId: step.tenantId,
        evidence: { ledgerAlertId: alert.id, hash: alert.hash, openedAt: step.openedAt.toISOString(), deadline: step.deadline!.toISOString(), timeLimitWorkingDays: step.timeLimitWorkingDays, stepName: step.name },
        raisedAt: now,
      });
      if (streamed && level === 'red') await this.tallies.onRed(manager, streamed);
      this.raised.inc({ level });
      this.logger.info({ caseId: step.caseNumber, stepId: step.stepId, level, deadline: step.deadline }, 'alert raised');
      return true;
    });
  }
}
