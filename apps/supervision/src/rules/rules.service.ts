import type { EventType } from '@gov/contracts';
import type { AnyEventOf } from '@gov/messaging';
import { LOGGER, Metrics } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { CalendarProvider } from '../calendar/calendar.provider';
import { CasesRepository } from '../cases/cases.repository';
import { Clock } from '../clock/clock';
import { StepsRepository } from '../steps/steps.repository';
import { AlertStreamRepository } from '../stream/alert-stream.repository';
import type { AnomalyRule } from './rule';
import { ANOMALY_RULES } from './rules';

export interface RuleSetting {
  enabled: boolean;
  params: Record<string, unknown>;
}

/** Runs the anomaly rules an event triggers, with each bureau's settings, and streams what they find (once each). */
@Injectable()
export class RulesService {
  private readonly found;

  constructor(
    private readonly cases: CasesRepository,
    private readonly steps: StepsRepository,
    private readonly calendar: CalendarProvider,
    private readonly stream: AlertStreamRepository,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.found = metrics.counter('supervision_anomalies_total', 'Anomalies raised by rule', ['rule']);
  }

  rule(name: string): AnomalyRule | undefined {
    return ANOMALY_RULES.find((r) => r.name === name);
  }

  /** The setting in force for a bureau: its own row, else the '*' row, else the rule's defaults. */
  async settingFor(db: EntityManager | DataSource, rule: AnomalyRule, orgCode: string | null): Promise<RuleSetting> {
    const rows = await db.query<{ org_code: string; enabled: boolean; params: Record<string, unknown> }[]>(
      `SELECT org_code, enabled, params FROM rule_settings WHERE rule = $1 AND org_code = ANY($2::text[])`,
      [rule.name, orgCode ? [orgCode, '*'] : ['*']],
    );
    const row = rows.find((r) => r.org_code === orgCode) ?? rows.find((r) => r.org_code === '*');
    return { enabled: row?.enabled ?? true, params: { ...rule.defaults, ...(row?.params ?? {}) } };
  }

  /** Called inside the event's inbox transaction, after the event's own effect (and its fact) is written. */
  async evaluate(manager: EntityManager, caseNumber: string, event: AnyEventOf<EventType>, stepOrg: string | null = null): Promise<number> {
    const triggered = ANOMALY_RULES.filter((r) => r.triggers.includes(event.type));
    if (triggered.length === 0) return 0;
    const [kase, facts, steps, calendar] = await Promise.all([
      this.cases.get(manager, caseNumber),
      this.cases.facts(manager, caseNumber),
      this.steps.forCaseIn(manager, caseNumber),
      this.calendar.get(),
    ]);
    const bureau = kase?.departmentCode ?? stepOrg;
    let raised = 0;
    for (const rule of triggered) {
      const setting = await this.settingFor(manager, rule, bureau);
      if (!setting.enabled) continue;
      for (const f of rule.evaluate({ event, caseNumber, facts, kase, steps, params: setting.params, calendar, manager })) {
        const alert = await this.stream.append(manager, {
          kind: 'anomaly',
          level: 'warning',
          rule: rule.name,
          ruleVersion: rule.version,
          dedupeKey: `anomaly:${rule.name}:${caseNumber}:${f.key}`,
          caseNumber,
          stepId: f.stepId ?? null,
          officer: f.officer ?? null,
          orgCode: f.orgCode ?? bureau,
          tenantId: kase?.tenantId ?? null,
          evidence: { ...f.evidence, triggeredBy: { type: event.type, id: event.id }, params: setting.params },
          raisedAt: this.clock.now(),
        });
        if (alert) {
          raised++;
          this.found.inc({ rule: rule.name });
          this.logger.info({ caseId: caseNumber, rule: rule.name, alertId: alert.alertId }, 'anomaly raised');
        }
      }
    }
    return raised;
  }
}
