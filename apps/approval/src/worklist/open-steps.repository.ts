import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export type Light = 'green' | 'yellow' | 'red';
export const LIGHTS: readonly Light[] = ['green', 'yellow', 'red'];

/** A row of the read model as the repository reads and writes it. */
export interface OpenStepRow {
  taskId: string;
  caseNumber: string | null;
  processInstanceId: string;
  processDefinitionId: string;
  stepKey: string;
  stepName: string | null;
  candidateGroups: string[];
  assignee: string | null;
  openedAt: Date;
  timeLimitWorkingDays: number | null;
  deadline: Date | null;
  yellowAt: Date | null;
  suspendedAt: Date | null;
  matterCode: string | null;
  matterName: string | null;
  organisation: string | null;
  tenantId: string | null;
}

/** What the worklist filters on; `groups` is the visibility boundary (never empty when it reaches SQL). */
export interface WorklistFilter {
  groups: string[];
  matter?: string;
  light?: Light;
  dueBefore?: Date;
  dueAfter?: Date;
  step?: string;
  caseNumber?: string;
  /** A user id (assignee=me) or null (unassigned). */
  assignee?: string | null;
}

export interface LightCounts {
  total: number;
  green: number;
  yellow: number;
  red: number;
}

export interface MatterCounts extends LightCounts {
  matterCode: string | null;
  matterName: string | null;
}

const COLUMNS = `task_id, case_number, process_instance_id, process_definition_id, step_key, step_name, candidate_groups, assignee, opened_at,
  time_limit_working_days, deadline, yellow_at, suspended_at, matter_code, matter_name, organisation, tenant_id`;

// A suspended step's clock stands still: its light is the one it had when the clock stopped. `n`: the placeholder of now.
const LIGHT_SQL: Record<Light, (n: string) => string> = {
  red: (n) => `(deadline < COALESCE(suspended_at, ${n}))`,
  yellow: (n) => `(deadline >= COALESCE(suspended_at, ${n}) AND yellow_at <= COALESCE(suspended_at, ${n}))`,
  green: (n) => `(deadline IS NULL OR yellow_at > COALESCE(suspended_at, ${n}))`,
};

function toRow(r: Record<string, unknown>): OpenStepRow {
  const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));
  return {
    taskId: r.task_id as string,
    caseNumber: r.case_number as string | null,
    processInstanceId: r.process_instance_id as string,
    processDefinitionId: r.process_definition_id as string,
    stepKey: r.step_key as string,
    stepName: r.step_name as string | null,
    candidateGroups: r.candidate_groups as string[],
    assignee: r.assignee as string | null,
    openedAt: new Date(r.opened_at as string),
    timeLimitWorkingDays: r.time_limit_working_days as number | null,
    deadline: date(r.deadline),
    yellowAt: date(r.yellow_at),
    suspendedAt: date(r.suspended_at),
    matterCode: r.matter_code as string | null,
    matterName: r.matter_name as string | null,
    organisation: r.organisation as string | null,
    tenantId: r.tenant_id as string | null,
  };
}

/** The open-steps read model's SQL (`open_steps`, `closed_steps`). */
interface CaseRow {
  case_number: string;
  matter_code: string;
  matter_name: string;
  department_code: string;
  tenant_id: string;
  co_department_codes: string[] | null;
}

@Injectable()
export class OpenStepsRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  /**
   * Inserts an open step, or refreshes it when it is there (an event after a catch-up, or the Kafka delivery of an
   * opening the relay's tap applied). A claim already recorded is kept: an opening names the assignee of the moment
   * the task was created. A step with a tombstone (closed already) is left out. Returns whether the step is in the
   * read model afterwards.
   */
  async upsert(m: EntityManager | DataSource, s: OpenStepRow): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `INSERT INTO open_steps (${COLUMNS}, synced_at)
       SELECT $1, $2, $3, $4, $5, $6, $7::text[], $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, now()
       WHERE NOT EXISTS (SELECT 1 FROM closed_steps WHERE task_id = $1)
       ON CONFLICT (task_id) DO UPDATE SET
         case_number = EXCLUDED.case_number, step_name = EXCLUDED.step_name, candidate_groups = EXCLUDED.candidate_groups,
         assignee = COALESCE(open_steps.assignee, EXCLUDED.assignee), time_limit_working_days = EXCLUDED.time_limit_working_days, deadline = EXCLUDED.deadline,
         yellow_at = EXCLUDED.yellow_at, suspended_at = EXCLUDED.suspended_at, matter_code = EXCLUDED.matter_code,
         matter_name = EXCLUDED.matter_name, organisation = EXCLUDED.organisation, synced_at = now()
       RETURNING task_id`,
      [
        s.taskId, s.caseNumber, s.processInstanceId, s.processDefinitionId, s.stepKey, s.stepName, s.candidateGroups, s.assignee, s.openedAt,
        s.timeLimitWorkingDays, s.deadline, s.yellowAt, s.suspendedAt, s.matterCode, s.matterName, s.organisation, s.tenantId,
      ],
    );
    return rows.length === 1;
  }

  /** Removes a closed step and leaves its tombstone. */
  async close(m: EntityManager, taskId: string, at: Date): Promise<void> {
    await m.query(`DELETE FROM open_steps WHERE task_id = $1`, [taskId]);
    await m.query(`INSERT INTO closed_steps (task_id, closed_at) VALUES ($1, $2) ON CONFLICT (task_id) DO NOTHING`, [taskId, at]);
  }

  /** Where approval itself changed who holds a step (claim, unclaim, transfer, take-back). */
  async setAssignee(taskId: string, assignee: string | null, m: EntityManager | DataSource = this.ds): Promise<void> {
    await m.query(`UPDATE open_steps SET assignee = $2, synced_at = now() WHERE task_id = $1`, [taskId, assignee]);
  }

  /** The case's clock stopped: its open steps' lights stand still from `at`. */
  async suspendCase(m: EntityManager, caseNumber: string, at: Date): Promise<void> {
    await m.query(`UPDATE open_steps SET suspended_at = GREATEST(opened_at, $2) WHERE case_number = $1 AND suspended_at IS NULL`, [caseNumber, at]);
  }

  async forCase(m: EntityManager | DataSource, caseNumber: string): Promise<OpenStepRow[]> {
    const rows = await m.query<Record<string, unknown>[]>(`SELECT ${COLUMNS} FROM open_steps WHERE case_number = $1 ORDER BY opened_at, task_id`, [caseNumber]);
    return rows.map(toRow);
  }

  async setClock(m: EntityManager, taskId: string, deadline: Date | null, yellowAt: Date | null, suspendedAt: Date | null): Promise<void> {
    await m.query(`UPDATE open_steps SET deadline = $2, yellow_at = $3, suspended_at = $4 WHERE task_id = $1`, [taskId, deadline, yellowAt, suspendedAt]);
  }

  /** The known rows among `taskIds` (their assignees), and which of the others are tombstoned. */
  async known(taskIds: string[]): Promise<{ open: Map<string, string | null>; closed: Set<string> }> {
    const open = await this.ds.query<{ task_id: string; assignee: string | null }[]>(`SELECT task_id, assignee FROM open_steps WHERE task_id = ANY($1::text[])`, [taskIds]);
    const closed = await this.ds.query<{ task_id: string }[]>(`SELECT task_id FROM closed_steps WHERE task_id = ANY($1::text[])`, [taskIds]);
    return { open: new Map(open.map((r) => [r.task_id, r.assignee])), closed: new Set(closed.map((r) => r.task_id)) };
  }

  /** Marks rows as seen on the engine by a reconciliation. */
  async touch(taskIds: string[]): Promise<void> {
    if (taskIds.length > 0) await this.ds.query(`UPDATE open_steps SET synced_at = now() WHERE task_id = ANY($1::text[])`, [taskIds]);
  }

  /** Rows no event or reconciliation confirmed since `before` (candidates for a missed completion). */
  async unconfirmedSince(before: Date, limit: number): Promise<string[]> {
    const rows = await this.ds.query<{ task_id: string }[]>(`SELECT task_id FROM open_steps WHERE synced_at < $1 ORDER BY synced_at LIMIT $2`, [before, limit]);
    return rows.map((r) => r.task_id);
  }

  /** Fills matter and organisation from approval's cases table for rows whose case arrived after the step. */
  async fillFromCases(): Promise<number> {
    const [, n] = await this.ds.query<[unknown, number]>(
      // (a co-review step of a joint review is the co-reviewing department's its candidate groups name)
      `UPDATE open_steps o SET case_number = c.case_number, matter_code = c.matter_code, matter_name = c.matter_name,
         organisation = COALESCE((SELECT d FROM unnest(c.co_department_codes) d WHERE EXISTS (SELECT 1 FROM unnest(o.candidate_groups) g WHERE g LIKE '%:' || d) LIMIT 1), c.department_code)
       FROM cases c WHERE o.matter_code IS NULL AND c.process_instance_id = o.process_instance_id`,
    );
    return n;
  }

  /** Moves every yellow-at when the configured window changed. */
  async applyYellowWindow(hours: number): Promise<void> {
    await this.ds.query(`UPDATE open_steps SET yellow_at = deadline - make_interval(hours => $1) WHERE deadline IS NOT NULL AND yellow_at IS DISTINCT FROM deadline - make_interval(hours => $1)`, [hours]);
  }

  /** The case a step belongs to (by case number, else by process instance), from approval's cases table. */
  async caseOf(
    m: EntityManager | DataSource,
    caseNumber: string | null,
    processInstanceId: string,
  ): Promise<{ caseNumber: string; matterCode: string; matterName: string; departmentCode: string; tenantId: string; coDepartmentCodes: string[] } | undefined> {
    const rows = await m.query<CaseRow[]>(
      `SELECT case_number, matter_code, matter_name, department_code, tenant_id, co_department_codes FROM cases WHERE case_number = $1 OR process_instance_id = $2 ORDER BY (case_number = $1) DESC LIMIT 1`,
      [caseNumber, processInstanceId],
    );
    const r = rows[0];
    return r
      ? { caseNumber: r.case_number, matterCode: r.matter_code, matterName: r.matter_name, departmentCode: r.department_code, tenantId: r.tenant_id, coDepartmentCodes: r.co_department_codes ?? [] }
      : undefined;
  }

  /** The cases of many process instances at once (catch-up). */
  async casesOf(processInstanceIds: string[]): Promise<Map<string, { caseNumber: string; matterCode: string; matterName: string; departmentCode: string; coDepartmentCodes: string[] }>> {
    const rows = await this.ds.query<(CaseRow & { process_instance_id: string })[]>(
      `SELECT process_instance_id, case_number, matter_code, matter_name, department_code, co_department_codes FROM cases WHERE process_instance_id = ANY($1::text[])`,
      [processInstanceIds],
    );
    return new Map(
      rows.map((r) => [r.process_instance_id, { caseNumber: r.case_number, matterCode: r.matter_code, matterName: r.matter_name, departmentCode: r.department_code, coDepartmentCodes: r.co_department_codes ?? [] }]),
    );
  }

  /** The case's clock suspensions (\`case_suspensions\`, written by the task actions), oldest first. */
  async suspensionsOf(m: EntityManager | DataSource, caseNumber: string): Promise<{ suspendedAt: Date; resumedAt: Date | null }[]> {
    const rows = await m.query<{ suspended_at: string; resumed_at: string | null }[]>(
      `SELECT suspended_at, resumed_at FROM case_suspensions WHERE case_number = $1 ORDER BY suspended_at`,
      [caseNumber],
    );
    return rows.map((r) => ({ suspendedAt: new Date(r.suspended_at), resumedAt: r.resumed_at === null ? null : new Date(r.resumed_at) }));
  }

  async pruneTombstones(before: Date): Promise<void> {
    await this.ds.query(`DELETE FROM closed_steps WHERE closed_at < $1`, [before]);
  }

  async page(f: WorklistFilter, now: Date, sort: 'deadline' | 'opened', limit: number, offset: number): Promise<OpenStepRow[]> {
    const { where, params } = this.where(f, now);
    const order = sort === 'deadline' ? 'deadline ASC NULLS LAST, task_id' : 'opened_at, task_id';
    const rows = await this.ds.query<Record<string, unknown>[]>(
      `SELECT ${COLUMNS} FROM open_steps WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return rows.map(toRow);
  }

  async count(f: WorklistFilter, now: Date): Promise<number> {
    const { where, params } = this.where(f, now);
    const [row] = await this.ds.query<{ n: string }[]>(`SELECT count(*)::text AS n FROM open_steps WHERE ${where}`, params);
    return Number(row?.n ?? 0);
  }

  /** Counts by light, per matter (one scan of the visible rows). */
  async counts(f: WorklistFilter, now: Date): Promise<MatterCounts[]> {
    const { where, params } = this.where(f, now);
    params.push(now);
    const n = `$${params.length}::timestamptz`;
    const rows = await this.ds.query<Record<string, string | null>[]>(
      `SELECT matter_code, max(matter_name) AS matter_name, count(*)::text AS total,
         (count(*) FILTER (WHERE ${LIGHT_SQL.green(n)}))::text AS green, (count(*) FILTER (WHERE ${LIGHT_SQL.yellow(n)}))::text AS yellow,
         (count(*) FILTER (WHERE ${LIGHT_SQL.red(n)}))::text AS red
       FROM open_steps WHERE ${where} GROUP BY matter_code ORDER BY matter_code NULLS LAST`,
      params,
    );
    return rows.map((r) => ({ matterCode: r.matter_code, matterName: r.matter_name, total: Number(r.total), green: Number(r.green), yellow: Number(r.yellow), red: Number(r.red) }));
  }

  /** The WHERE clause; $1 is the visible groups. */
  private where(f: WorklistFilter, now: Date): { where: string; params: unknown[] } {
    const params: unknown[] = [f.groups];
    const clauses = ['candidate_groups && $1::text[]'];
    const add = (sql: (p: string) => string, value: unknown): void => {
      params.push(value);
      clauses.push(sql(`$${params.length}`));
    };
    if (f.matter !== undefined) add((p) => `matter_code = ${p}`, f.matter);
    if (f.step !== undefined) add((p) => `step_key = ${p}`, f.step);
    if (f.caseNumber !== undefined) add((p) => `case_number = ${p}`, f.caseNumber);
    if (f.dueBefore !== undefined) add((p) => `deadline < ${p}`, f.dueBefore);
    if (f.dueAfter !== undefined) add((p) => `deadline >= ${p}`, f.dueAfter);
    if (f.assignee === null) clauses.push('assignee IS NULL');
    else if (f.assignee !== undefined) add((p) => `assignee = ${p}`, f.assignee);
    const light = f.light;
    if (light !== undefined) add((p) => LIGHT_SQL[light](`${p}::timestamptz`), now);
    return { where: clauses.join(' AND '), params };
  }
}
