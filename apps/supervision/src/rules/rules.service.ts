import type { EventType } from '@gov/contracts';
import type { AnyEventOf } from '@gov/messaging';
import { LOGGER, Metrics } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { CalendarProvider } from '../calendar/calendar.provider';
import { CasesRepository } from '../cases/cases.repository';
import { Clock } from '../clock/clock';
import { StepsRepository } from '../steps/steps.repository';
import { AlertStreamRepository } from '../stream/alert-stream.repository';
import { DEADLINE_RULES } from './deadline-rules';
import type { AnomalyRule, DeadlineRule, Finding, RuleContext } from './rule';
import { RuleDeadlinesRepository } from './rule-deadlines.repository';
import { ANOMALY_RULES } from './rules';

type AnyRule = Pick<AnomalyRule | DeadlineRule, 'name' | 'version' | 'defaults'>;

/** The stream's dedupe key of a rule's finding: once per rule, case (or `-` for none) and key. */
const anomalyKey = (rule: Pick<AnyRule, 'name'>, caseNumber: string | null, key: string): string => `anomaly:${rule.name}:${caseNumber ?? '-'}:${key}`;

export interface RuleSetting {
  enabled: boolean;
  params: Record<string, unknown>;
}

/**
 * Runs the anomaly rules an event triggers, with each bureau's settings, and streams what they find (once each);
 * opens and closes the watches of the deadline rules, and raises the watches that fell due (`scanDeadlines`).
 */
@Injectable()
export class RulesService {
  private readonly found;

  constructor(
    private readonly ds: DataSource,
    private readonly deadlines: RuleDeadlinesRepository,
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

  rule(name: string): AnomalyRule | DeadlineRule | undefined {
    return ANOMALY_RULES.find((r) => r.name === name) ?? DEADLINE_RULES.find((r) => r.name === name);
  }

  /** The setting in force for a bureau: its own row, else the '*' row, else the rule's defaults. */
  async settingFor(db: EntityManager | DataSource, rule: AnyRule, orgCode: string | null): Promise<RuleSetting> {
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
    const watching = DEADLINE_RULES.filter((r) => r.starts.includes(event.type) || r.meets.includes(event.type));
    if (triggered.length === 0 && watching.length === 0) return 0;
    const [kase, facts, steps, calendar] = await Promise.all([
      this.cases.get(manager, caseNumber),
      this.cases.facts(manager, caseNumber),
      this.steps.forCaseIn(manager, caseNumber),
      this.calendar.get(),
    ]);
    const bureau = kase?.departmentCode ?? stepOrg;
    const context = <P>(params: P): RuleContext<P> => ({ event, caseNumber, facts, kase, steps, params, calendar, manager });
    let raised = 0;
    for (const rule of triggered) {
      const setting = await this.settingFor(manager, rule, bureau);
      if (!setting.enabled) continue;
      for (const f of rule.evaluate(context(setting.params))) {
        if (await this.raise(manager, rule, caseNumber, kase?.tenantId ?? null, bureau, f, { ...f.evidence, triggeredBy: { type: event.type, id: event.id }, params: setting.params })) raised++;
      }
    }
    for (const rule of watching) {
      const setting = await this.settingFor(manager, rule, bureau);
      if (rule.meets.includes(event.type)) {
        for (const key of rule.meet(context(setting.params))) await this.deadlines.meet(manager, rule.name, caseNumber, key, new Date(event.time));
      }
      if (rule.starts.includes(event.type) && setting.enabled) {
        for (const w of rule.start(context(setting.params))) {
          await this.deadlines.watch(manager, rule.name, caseNumber, kase?.tenantId ?? null, { ...w, orgCode: w.orgCode ?? bureau, evidence: { ...w.evidence, startedBy: { type: event.type, id: event.id }, params: setting.params } });
        }
      }
    }
    return raised;
  }

  /** Raises every deadline-rule watch that fell due unmet, once each (each in its own transaction). */
  async scanDeadlines(limit = 500): Promise<number> {
    const now = this.clock.now();
    let raised = 0;
    for (const due of await this.deadlines.due(this.ds, now, limit)) {
      const rule = DEADLINE_RULES.find((r) => r.name === due.rule);
      if (!rule) continue;
      const fired = await this.ds.transaction(async (m) => {
        const w = await this.deadlines.fire(m, due, now);
        if (!w) return false;
        // a bureau that disabled the rule after the watch began: the watch is dropped
        if (!(await this.settingFor(m, rule, w.orgCode)).enabled) return false;
        return this.raise(m, rule, w.caseNumber, w.tenantId, w.orgCode, { key: w.key, orgCode: w.orgCode, evidence: w.evidence }, { ...w.evidence, dueAt: w.dueAt.toISOString() });
      });
      if (fired) raised++;
    }
    return raised;
  }

  /**
   * Raises an event rule's finding about no case supervision can name (e.g. an engine incident of a process whose
   * business key is not a case number): platform-wide unless the finding names an organisation. The '*' setting applies.
   */
  async raiseWithoutCase(m: EntityManager, rule: AnomalyRule, f: Finding, triggeredBy: { type: string; id: string }): Promise<boolean> {
    const setting = await this.settingFor(m, rule, f.orgCode ?? null);
    if (!setting.enabled) return false;
    return this.raise(m, rule, null, null, f.orgCode ?? null, f, { ...f.evidence, triggeredBy, params: setting.params });
  }

  /**
   * Closes a raised anomaly (the alert stream is append-only): a second entry, level `resolved`, with the organisation
   * and case of the one it closes and `closes` = its alert id; once. False when the anomaly was never raised here.
   */
  async close(m: EntityManager, rule: AnyRule, caseNumber: string | null, key: string, evidence: Record<string, unknown>): Promise<boolean> {
    const dedupeKey = anomalyKey(rule, caseNumber, key);
    const [raised] = await m.query<{ id: string; org_code: string | null; step_id: string | null; officer: string | null }[]>(`SELECT id, org_code, step_id, officer FROM alert_stream WHERE dedupe_key = $1`, [dedupeKey]);
    if (!raised) return false;
    const alert = await this.stream.append(m, {
      kind: 'anomaly',
      level: 'resolved',
      rule: rule.name,
      ruleVersion: rule.version,
      dedupeKey: `${dedupeKey}:resolved`,
      caseNumber,
      stepId: raised.step_id,
      officer: raised.officer,
      orgCode: raised.org_code,
      evidence: { ...evidence, closes: raised.id },
      raisedAt: this.clock.now(),
    });
    if (alert) this.logger.info({ caseId: caseNumber, rule: rule.name, alertId: alert.alertId, closes: raised.id }, 'anomaly closed');
    return alert !== null;
  }

  private async raise(m: EntityManager, rule: AnyRule, caseNumber: string | null, tenantId: string | null, bureau: string | null, f: Finding, evidence: Record<string, unknown>): Promise<boolean> {
    const alert = await this.stream.append(m, {
      kind: 'anomaly',
      level: 'warning',
      rule: rule.name,
      ruleVersion: rule.version,
      dedupeKey: anomalyKey(rule, caseNumber, f.key),
      caseNumber,
      stepId: f.stepId ?? null,
      officer: f.officer ?? null,
      orgCode: f.orgCode ?? bureau,
      tenantId,
      evidence,
      raisedAt: this.clock.now(),
    });
    if (!alert) return false;
    this.found.inc({ rule: rule.name });
    this.logger.info({ caseId: caseNumber, rule: rule.name, alertId: alert.alertId }, 'anomaly raised');
    return true;
  }
}
