import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { SUPERVISION_CONFIG, type SupervisionConfig } from '../config';

/**
 * When a step turns yellow: YELLOW_WINDOW_HOURS before its deadline, or once YELLOW_SHARE_PERCENT of its time has
 * run, whichever comes first (never before it opened).
 */
export function yellowAt(openedAt: Date, deadline: Date, config: Pick<SupervisionConfig, 'YELLOW_WINDOW_HOURS' | 'YELLOW_SHARE_PERCENT'>): Date {
  const byWindow = deadline.getTime() - config.YELLOW_WINDOW_HOURS * 3600 * 1000;
  const byShare = openedAt.getTime() + ((deadline.getTime() - openedAt.getTime()) * config.YELLOW_SHARE_PERCENT) / 100;
  return new Date(Math.max(openedAt.getTime(), Math.min(byWindow, byShare)));
}

export interface StepRow {
  stepId: string;
  caseNumber: string;
  processInstanceId: string;
  taskDefinitionKey: string;
  name: string | null;
  candidateGroups: string[];
  tenantId: string | null;
  openedAt: Date;
  timeLimitWorkingDays: number | null;
  deadline: Date | null;
  /** The deadline crosses a year whose holiday schedule is not known yet (fill calendar_overrides). */
  deadlineProvisional: boolean;
  /** When the step turns (turned) yellow; null without a deadline. */
  yellowAt: Date | null;
  closedAt: Date | null;
  closeReason: string | null;
  /** The officer holding the step (from the engine's assignee), when known. */
  assignee: string | null;
}

function toRow(r: Record<string, unknown>): StepRow {
  return {
    stepId: r.step_id as string,
    caseNumber: r.case_number as string,
    processInstanceId: r.process_instance_id as string,
    taskDefinitionKey: r.task_definition_key as string,
    name: r.name as string | null,
    candidateGroups: r.candidate_groups as string[],
    tenantId: r.tenant_id as string | null,
    openedAt: r.opened_at as Date,
    timeLimitWorkingDays: r.time_limit_working_days as number | null,
    deadline: r.deadline as Date | null,
    deadlineProvisional: r.deadline_provisional === true,
    yellowAt: (r.yellow_at as Date | null) ?? null,
    closedAt: r.closed_at as Date | null,
    closeReason: r.close_reason as string | null,
    assignee: (r.assignee as string | null) ?? null,
  };
}

@Injectable()
export class StepsRepository {
  constructor(
    private readonly ds: DataSource,
    @Inject(SUPERVISION_CONFIG) private readonly config: SupervisionConfig,
  ) {}

  async open(manager: EntityManager, s: Omit<StepRow, 'closedAt' | 'closeReason' | 'yellowAt'>): Promise<void> {
    await manager.query(
      `INSERT INTO steps (step_id, case_number, process_instance_id, task_definition_key, name, candidate_groups, tenant_id, opened_at, time_limit_working_days, deadline, deadline_provisional, assignee, yellow_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT (step_id) DO NOTHING`,
      [s.stepId, s.caseNumber, s.processInstanceId, s.taskDefinitionKey, s.name, s.candidateGroups, s.tenantId, s.openedAt, s.timeLimitWorkingDays, s.deadline, s.deadlineProvisional, s.assignee, s.deadline ? yellowAt(s.openedAt, s.deadline, this.config) : null],
    );
  }

  async close(manager: EntityManager, stepId: string, closedAt: Date, reason: 'completed' | 'cancelled', assignee?: string | null): Promise<number> {
    const res = await manager.query<[unknown[], number]>(
      `UPDATE steps SET closed_at = $2, close_reason = $3, assignee = COALESCE($4, assignee), version = version + 1 WHERE step_id = $1 AND closed_at IS NULL RETURNING step_id`,
      [stepId, closedAt, reason, assignee ?? null],
    );
    return res[1];
  }

  async get(db: EntityManager | DataSource, stepId: string): Promise<StepRow | undefined> {
    const rows = await db.query<Record<string, unknown>[]>(`SELECT * FROM steps WHERE step_id = $1`, [stepId]);
    return rows[0] ? toRow(rows[0]) : undefined;
  }

  /** Open steps of a case, locked (for moving deadlines after a suspension). */
  async openForCase(manager: EntityManager, caseNumber: string): Promise<StepRow[]> {
    const rows = await manager.query<Record<string, unknown>[]>(`SELECT * FROM steps WHERE case_number = $1 AND closed_at IS NULL ORDER BY opened_at FOR UPDATE`, [caseNumber]);
    return rows.map(toRow);
  }

  /** Open steps whose deadline is provisional (a year's schedule was missing when it was computed), locked. */
  async openProvisional(manager: EntityManager): Promise<StepRow[]> {
    const rows = await manager.query<Record<string, unknown>[]>(`SELECT * FROM steps WHERE closed_at IS NULL AND deadline_provisional ORDER BY opened_at FOR UPDATE`);
    return rows.map(toRow);
  }

  async setDeadline(manager: EntityManager, step: Pick<StepRow, 'stepId' | 'openedAt'>, deadline: Date, provisional: boolean): Promise<void> {
    await manager.query(`UPDATE steps SET deadline = $2, deadline_provisional = $3, yellow_at = $4, version = version + 1 WHERE step_id = $1`, [
      step.stepId,
      deadline,
      provisional,
      yellowAt(step.openedAt, deadline, this.config),
    ]);
  }

  async forCaseIn(manager: EntityManager, caseNumber: string): Promise<StepRow[]> {
    const rows = await manager.query<Record<string, unknown>[]>(`SELECT * FROM steps WHERE case_number = $1 ORDER BY opened_at, step_id`, [caseNumber]);
    return rows.map(toRow);
  }
  async forCase(caseNumber: string): Promise<StepRow[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(`SELECT * FROM steps WHERE case_number = $1 ORDER BY opened_at, step_id`, [caseNumber]);
    return rows.map(toRow);
  }

  /**
   * Steps that deserve `level` at `now` and do not have it yet: red when open past the deadline or closed after it;
   * yellow when open within the window before the deadline.
   */
  async needingAlert(level: 'yellow' | 'red', now: Date, yellowWindowMs: number, limit = 500): Promise<StepRow[]> {
    // Both variants take the same four parameters; $2 is cast so PostgreSQL can type it when unused. Each branch is
    // served by a partial index (open steps by deadline; steps closed after their deadline), never a full scan.
    const suspended = `AND NOT EXISTS (SELECT 1 FROM suspensions x WHERE x.case_number = s.case_number AND x.resumed_at IS NULL AND (x.step_id IS NULL OR x.step_id = s.step_id) AND s.closed_at IS NULL)`;
    const fresh = `AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.step_id = s.step_id AND a.level = $3)`;
    const sql =
      level === 'red'
        ? `(SELECT s.* FROM steps s WHERE s.closed_at IS NULL AND s.deadline < $1 AND $2::bigint >= 0 ${fresh} ${suspended} ORDER BY s.deadline LIMIT $4)
           UNION ALL
           (SELECT s.* FROM steps s WHERE s.closed_at > s.deadline ${fresh} ORDER BY s.deadline LIMIT $4)`
        : `SELECT s.* FROM steps s WHERE s.closed_at IS NULL AND s.yellow_at <= $1 AND s.deadline >= $1 AND $2::bigint >= 0 ${fresh} ${suspended} ORDER BY s.yellow_at LIMIT $4`;
    const rows = await this.ds.query<Record<string, unknown>[]>(sql, [now, yellowWindowMs, level, limit]);
    return rows.map(toRow);
  }
}
