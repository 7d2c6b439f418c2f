import type { Suspension } from '@gov/calendar';
import type { EventType } from '@gov/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { SUPERVISION_CONFIG, type SupervisionConfig } from '../config';
import type { DataSource, EntityManager } from 'typeorm';
import type { CaseFact } from '../rules/rule';

export interface CaseRow {
  caseNumber: string;
  tenantId: string | null;
  departmentCode: string | null;
  matterCode: string | null;
  processKey: string | null;
  submittedAt: Date | null;
  acceptedAt: Date;
  statutoryLimitWorkingDays: number;
  promisedLimitWorkingDays: number | null;
  statutoryDeadline: Date;
  promisedDeadline: Date | null;
  deadlineProvisional: boolean;
  decidedAt: Date | null;
  decision: string | null;
}

export interface SuspensionRow {
  suspensionId: string;
  caseNumber: string;
  stepId: string | null;
  reason: string | null;
  statedWorkingDays: number | null;
  suspendedAt: Date;
  resumedAt: Date | null;
}

type Db = EntityManager | DataSource;

function toCase(r: Record<string, unknown>): CaseRow {
  return {
    caseNumber: r.case_number as string,
    tenantId: r.tenant_id as string | null,
    departmentCode: r.department_code as string | null,
    matterCode: r.matter_code as string | null,
    processKey: r.process_key as string | null,
    submittedAt: r.submitted_at as Date | null,
    acceptedAt: r.accepted_at as Date,
    statutoryLimitWorkingDays: r.statutory_limit_working_days as number,
    promisedLimitWorkingDays: r.promised_limit_working_days as number | null,
    statutoryDeadline: r.statutory_deadline as Date,
    promisedDeadline: r.promised_deadline as Date | null,
    deadlineProvisional: r.deadline_provisional === true,
    decidedAt: r.decided_at as Date | null,
    decision: r.decision as string | null,
  };
}

function toSuspension(r: Record<string, unknown>): SuspensionRow {
  return {
    suspensionId: r.suspension_id as string,
    caseNumber: r.case_number as string,
    stepId: r.step_id as string | null,
    reason: r.reason as string | null,
    statedWorkingDays: r.stated_working_days as number | null,
    suspendedAt: r.suspended_at as Date,
    resumedAt: r.resumed_at as Date | null,
  };
}

/** Ended suspensions that stop the clock of `stepId` (or of the whole case when `stepId` is undefined), as calendar intervals. */
export function suspensionsFor(rows: readonly SuspensionRow[], stepId?: string): Suspension[] {
  return rows
    .filter((s) => s.resumedAt !== null && (stepId === undefined || s.stepId === null || s.stepId === stepId))
    .map((s) => ({ from: s.suspendedAt, to: s.resumedAt!, reason: s.reason ?? undefined }));
}

/** Case clocks, suspensions and the facts the rules read. */
@Injectable()
export class CasesRepository {
  constructor(@Inject(SUPERVISION_CONFIG) private readonly config: SupervisionConfig) {}

  /** SQL for a deadline's yellow time: the lead before it, never before acceptance (the durable scheduler's due time). */
  private yellowSql(deadline: string): string {
    return `GREATEST(accepted_at, ${deadline} - make_interval(hours => ${Number(this.config.CASE_YELLOW_LEAD_HOURS)}))`;
  }

  async get(db: Db, caseNumber: string, forUpdate = false): Promise<CaseRow | undefined> {
    const rows = await db.query<Record<string, unknown>[]>(`SELECT * FROM cases WHERE case_number = $1${forUpdate ? ' FOR UPDATE' : ''}`, [caseNumber]);
    return rows[0] ? toCase(rows[0]) : undefined;
  }

  async insert(m: EntityManager, c: CaseRow): Promise<void> {
    await m.query(
      `INSERT INTO cases (case_number, tenant_id, department_code, matter_code, process_key, submitted_at, accepted_at, statutory_limit_working_days,
         promised_limit_working_days, statutory_deadline, promised_deadline, deadline_provisional, decided_at, decision)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) ON CONFLICT (case_number) DO NOTHING`,
      [c.caseNumber, c.tenantId, c.departmentCode, c.matterCode, c.processKey, c.submittedAt, c.acceptedAt, c.statutoryLimitWorkingDays, c.promisedLimitWorkingDays, c.statutoryDeadline, c.promisedDeadline, c.deadlineProvisional, c.decidedAt, c.decision],
    );
    await this.scheduleLights(m, c.caseNumber);
  }

  async setDeadlines(m: EntityManager, caseNumber: string, statutory: Date, promised: Date | null, provisional: boolean): Promise<void> {
    await m.query(`UPDATE cases SET statutory_deadline = $2, promised_deadline = $3, deadline_provisional = $4 WHERE case_number = $1`, [caseNumber, statutory, promised, provisional]);
    await this.scheduleLights(m, caseNumber);
  }

  /** (Re)computes when the case's lights turn yellow, from its deadlines as they stand. */
  async scheduleLights(m: EntityManager, caseNumber: string): Promise<void> {
    await m.query(`UPDATE cases SET statutory_yellow_at = ${this.yellowSql('statutory_deadline')}, promised_yellow_at = ${this.yellowSql('promised_deadline')} WHERE case_number = $1`, [caseNumber]);
  }

  async decide(m: EntityManager, caseNumber: string, decidedAt: Date, decision: string): Promise<void> {
    await m.query(`UPDATE cases SET decided_at = $2, decision = $3 WHERE case_number = $1 AND decided_at IS NULL`, [caseNumber, decidedAt, decision]);
  }

  async openProvisional(m: EntityManager): Promise<CaseRow[]> {
    const rows = await m.query<Record<string, unknown>[]>(`SELECT * FROM cases WHERE deadline_provisional AND decided_at IS NULL FOR UPDATE`);
    return rows.map(toCase);
  }

  async suspensions(db: Db, caseNumber: string): Promise<SuspensionRow[]> {
    const rows = await db.query<Record<string, unknown>[]>(`SELECT * FROM suspensions WHERE case_number = $1 ORDER BY suspended_at`, [caseNumber]);
    return rows.map(toSuspension);
  }

  async suspend(m: EntityManager, s: Omit<SuspensionRow, 'resumedAt'>): Promise<void> {
    await m.query(
      `INSERT INTO suspensions (suspension_id, case_number, step_id, reason, stated_working_days, suspended_at) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING`,
      [s.suspensionId, s.caseNumber, s.stepId, s.reason, s.statedWorkingDays, s.suspendedAt],
    );
  }

  async resume(m: EntityManager, suspensionId: string, resumedAt: Date): Promise<boolean> {
    const res = await m.query<[unknown[], number]>(`UPDATE suspensions SET resumed_at = $2 WHERE suspension_id = $1 AND resumed_at IS NULL RETURNING 1`, [suspensionId, resumedAt]);
    return res[1] > 0;
  }

  async addFact(m: EntityManager, caseNumber: string, f: CaseFact): Promise<void> {
    await m.query(`INSERT INTO case_facts (event_id, case_number, type, data, at, source) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING`, [f.eventId, caseNumber, f.type, JSON.stringify(f.data), f.at, f.source ?? null]);
  }

  async facts(db: Db, caseNumber: string): Promise<CaseFact[]> {
    const rows = await db.query<{ event_id: string; type: EventType; data: Record<string, unknown>; at: Date; source: string | null }[]>(
      `SELECT event_id, type, data, at, source FROM case_facts WHERE case_number = $1 ORDER BY at, event_id`,
      [caseNumber],
    );
    return rows.map((r) => ({ eventId: r.event_id, type: r.type, data: r.data, at: r.at, source: r.source }));
  }
}
