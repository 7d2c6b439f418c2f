import { makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { LOGGER, Metrics } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { AlertStreamRepository } from '../stream/alert-stream.repository';
import { AlertsRepository, caseLightKey } from './alerts.repository';

export type CaseClock = 'statutory' | 'promised';
type Level = 'yellow' | 'red';

interface DueCase {
  case_number: string;
  tenant_id: string | null;
  department_code: string | null;
  accepted_at: Date;
  deadline: Date;
  limit_wd: number;
}

// Column names per clock: constants, never input.
const COLUMNS: Record<CaseClock, { deadline: string; yellowAt: string; limit: string; openIndexWhere: string }> = {
  statutory: { deadline: 'statutory_deadline', yellowAt: 'statutory_yellow_at', limit: 'statutory_limit_working_days', openIndexWhere: 'c.decided_at IS NULL' },
  promised: { deadline: 'promised_deadline', yellowAt: 'promised_yellow_at', limit: 'promised_limit_working_days', openIndexWhere: 'c.decided_at IS NULL AND c.promised_deadline IS NOT NULL' },
};

/**
 * Lights for whole cases (seed 001 text 3 art. 22, applied to the case's 法定 and 承诺 limits): each deadline turns
 * yellow `CASE_YELLOW_LEAD_HOURS` before it and red once it passes undecided (or is decided after it), exactly once:
 * the ledger keeps one alert per case clock and level. Scheduled like the step lights: the yellow time and the
 * deadline are columns with partial indexes over undecided cases, so a scan reads only what fell due. A case whose
 * clock is stopped (any open suspension) gets no light until it resumes and its deadlines move.
 */
@Injectable()
export class CaseLightMonitor {
  private readonly raised;

  constructor(
    private readonly ds: DataSource,
    private readonly alerts: AlertsRepository,
    private readonly stream: AlertStreamRepository,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.raised = metrics.counter('supervision_case_lights_raised_total', 'Case deadline lights raised', ['clock', 'level']);
  }

  /** One pass over both clocks; returns how many lights were raised. */
  async scan(limit = 500): Promise<number> {
    const now = this.clock.now();
    let raised = 0;
    for (const clock of ['statutory', 'promised'] as const) {
      for (const level of ['red', 'yellow'] as const) {
        for (const c of await this.due(clock, level, now, limit)) if (await this.raise(c, clock, level, now)) raised++;
      }
    }
    return raised;
  }

  private due(clock: CaseClock, level: Level, now: Date, limit: number): Promise<DueCase[]> {
    const k = COLUMNS[clock];
    const select = `SELECT c.case_number, c.tenant_id, c.department_code, c.accepted_at, c.${k.deadline} AS deadline, c.${k.limit} AS limit_wd FROM cases c`;
    const fresh = `NOT EXISTS (SELECT 1 FROM alerts a WHERE a.step_id = 'case:${clock}:' || c.case_number AND a.level = $2)`;
    const running = `NOT EXISTS (SELECT 1 FROM suspensions x WHERE x.case_number = c.case_number AND x.resumed_at IS NULL)`;
    const sql =
      level === 'red'
        ? `(${select} WHERE ${k.openIndexWhere} AND c.${k.deadline} < $1 AND ${fresh} AND ${running} ORDER BY c.${k.deadline} LIMIT $3)
           UNION ALL
           (${select} WHERE (c.decided_at > c.statutory_deadline OR c.decided_at > c.promised_deadline) AND c.decided_at > c.${k.deadline} AND ${fresh} ORDER BY c.decided_at LIMIT $3)`
        : `${select} WHERE ${k.openIndexWhere} AND c.${k.yellowAt} <= $1 AND c.${k.deadline} >= $1 AND ${fresh} AND ${running} ORDER BY c.${k.yellowAt} LIMIT $3`;
    return this.ds.query<DueCase[]>(sql, [now, level, limit]);
  }

  private raise(c: DueCase, clock: CaseClock, level: Level, now: Date): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const alert = await this.alerts.appendOnce(m, { stepId: caseLightKey(clock, c.case_number), caseNumber: c.case_number, level, deadline: c.deadline, raisedAt: now });
      if (!alert) return false;
      await enqueueEvent(
        m,
        makeEvent({
          type: 'gov.supervision.case-light.raised',
          source: '/supervision',
          subject: c.case_number,
          tenantId: c.tenant_id ?? undefined,
          id: alert.id,
          data: {
            alertId: alert.id,
            level,
            clock,
            caseNumber: c.case_number,
            departmentCode: c.department_code,
            tenantId: c.tenant_id,
            acceptedAt: c.accepted_at.toISOString(),
            limitWorkingDays: c.limit_wd,
            deadline: c.deadline.toISOString(),
            raisedAt: now.toISOString(),
            hash: alert.hash,
          },
        }),
      );
      await this.stream.append(m, {
        kind: 'light',
        level,
        rule: `case-light.${level}`,
        dedupeKey: `case-light:${clock}:${level}:${c.case_number}`,
        caseNumber: c.case_number,
        orgCode: c.department_code,
        tenantId: c.tenant_id,
        evidence: { clock, ledgerAlertId: alert.id, hash: alert.hash, acceptedAt: c.accepted_at.toISOString(), deadline: c.deadline.toISOString(), limitWorkingDays: c.limit_wd, seed: '001 text 3 art. 22' },
        raisedAt: now,
      });
      this.raised.inc({ clock, level });
      this.logger.info({ caseId: c.case_number, clock, level, deadline: c.deadline }, 'case light raised');
      return true;
    });
  }
}
