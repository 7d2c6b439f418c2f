import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { ApplicationRef } from '../applications/application-ref';
import type { Application } from '../applications/application.entity';
import type { NoticeKind } from '../applications/application-history.entity';
import { ApplicationProgress } from './progress.entity';

/** What the progress view reads of one application: its own columns, its progress row, the notices it was given. */
export type ProgressSource = Pick<
  Application,
  | 'id'
  | 'caseNumber'
  | 'status'
  | 'departmentCode'
  | 'applicantId'
  | 'receivedAt'
  | 'acceptedAt'
  | 'acceptanceMode'
  | 'acceptanceDueAt'
  | 'correctionDeadline'
  | 'timeLimitWorkingDays'
  | 'closedAt'
  | 'withdrawalRequestedAt'
  | 'bundleId'
> & {
  progress: Pick<ApplicationProgress, 'currentStep' | 'currentStepName' | 'currentGroups' | 'stepOpenedAt' | 'stepLimitWorkingDays' | 'light' | 'suspensions' | 'documents' | 'result'> | null;
  /** The notices of its history, in order. */
  notices: Array<{ kind: NoticeKind; at: Date }>;
};

/** The application of a progress view, its parts (a joint window) and its bundle (a part's), from one statement. */
export interface ProgressView {
  app: ProgressSource;
  parts: ProgressSource[];
  bundle: Pick<Application, 'id' | 'caseNumber' | 'departmentCode'> | null;
}

interface ViewRow {
  role: 0 | 1 | 2;
  id: string;
  case_number: string;
  status: Application['status'];
  department_code: string;
  applicant_id: string;
  received_at: Date;
  accepted_at: Date | null;
  acceptance_mode: Application['acceptanceMode'];
  acceptance_due_at: Date | null;
  correction_deadline: Date | null;
  time_limit_working_days: number;
  closed_at: Date | null;
  withdrawal_requested_at: Date | null;
  bundle_id: string | null;
  p_case_number: string | null;
  current_step: string | null;
  current_step_name: string | null;
  current_groups: string[] | null;
  step_opened_at: Date | null;
  step_limit_working_days: number | null;
  light: string | null;
  suspensions: ApplicationProgress['suspensions'] | null;
  documents: ApplicationProgress['documents'] | null;
  result: ApplicationProgress['result'];
  notice_kinds: NoticeKind[] | null;
  notice_ats: Date[] | null;
}

// The progress view in one round trip (the endpoint is the most read of intake: a round trip per statement, four of
// them in three rounds through the query builder, was most of its time on a busy machine). Role 0 is the application
// asked for, 1 its parts (by case number), 2 its bundle; the progress row and the notices only for 0 and 1.
const VIEW_SQL = (where: string) => `
  WITH self AS (SELECT * FROM applications WHERE ${where} LIMIT 1),
  members AS (
    SELECT 0 AS role, s.* FROM self s
    UNION ALL SELECT 1, p.* FROM applications p JOIN self s ON p.bundle_id = s.id
    UNION ALL SELECT 2, b.* FROM applications b JOIN self s ON b.id = s.bundle_id
  )
  SELECT m.role, m.id, m.case_number, m.status, m.department_code, m.applicant_id, m.received_at, m.accepted_at, m.acceptance_mode,
         m.acceptance_due_at, m.correction_deadline, m.time_limit_working_days, m.closed_at, m.withdrawal_requested_at, m.bundle_id,
         pr.case_number AS p_case_number, pr.current_step, pr.current_step_name, pr.current_groups, pr.step_opened_at, pr.step_limit_working_days,
         pr.light, pr.suspensions, pr.documents, pr.result, h.notice_kinds, h.notice_ats
    FROM members m
    LEFT JOIN application_progress pr ON m.role < 2 AND pr.case_number = m.case_number
    LEFT JOIN LATERAL (
      SELECT array_agg(x.notice ORDER BY x.at) AS notice_kinds, array_agg(x.at ORDER BY x.at) AS notice_ats
        FROM application_history x WHERE m.role < 2 AND x.application_id = m.id AND x.notice IS NOT NULL
    ) h ON true
   ORDER BY m.role, m.case_number`;
/** The statement of the progress view, by application id or by case number (the bench explains it). */
export const PROGRESS_VIEW_SQL = { byId: VIEW_SQL('id = $1'), byCaseNumber: VIEW_SQL('case_number = $1') } as const;

function sourceOf(r: ViewRow): ProgressSource {
  const kinds = r.notice_kinds ?? [];
  const ats = r.notice_ats ?? [];
  return {
    id: r.id,
    caseNumber: r.case_number,
    status: r.status,
    departmentCode: r.department_code,
    applicantId: r.applicant_id,
    receivedAt: r.received_at,
    acceptedAt: r.accepted_at,
    acceptanceMode: r.acceptance_mode,
    acceptanceDueAt: r.acceptance_due_at,
    correctionDeadline: r.correction_deadline,
    timeLimitWorkingDays: r.time_limit_working_days,
    closedAt: r.closed_at,
    withdrawalRequestedAt: r.withdrawal_requested_at,
    bundleId: r.bundle_id,
    progress:
      r.p_case_number === null
        ? null
        : {
            currentStep: r.current_step,
            currentStepName: r.current_step_name,
            currentGroups: r.current_groups ?? [],
            stepOpenedAt: r.step_opened_at,
            stepLimitWorkingDays: r.step_limit_working_days,
            light: r.light,
            suspensions: r.suspensions ?? [],
            documents: r.documents ?? [],
            result: r.result,
          },
    notices: kinds.map((kind, i) => ({ kind, at: ats[i] })),
  };
}

@Injectable()
export class ProgressRepository {
  constructor(private readonly ds: DataSource) {}

  /** The case's progress row (created empty on first sight), locked for the rest of the transaction. */
  async lock(manager: EntityManager, caseNumber: string, now: Date): Promise<ApplicationProgress> {
    await manager.query(`INSERT INTO application_progress (case_number, updated_at) VALUES ($1, $2) ON CONFLICT (case_number) DO NOTHING`, [caseNumber, now]);
    const row = await manager.getRepository(ApplicationProgress).findOne({ where: { caseNumber }, lock: { mode: 'pessimistic_write' } });
    if (!row) throw new Error(`progress of ${caseNumber} vanished`);
    return row;
  }

  async save(manager: EntityManager, p: ApplicationProgress): Promise<void> {
    const { caseNumber, ...rest } = p;
    await manager.getRepository(ApplicationProgress).update({ caseNumber }, rest);
  }

  /** Whether intake holds an application with this case number (events of other cases are not projected). */
  async isOurs(manager: EntityManager, caseNumber: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(`SELECT 1 FROM applications WHERE case_number = $1`, [caseNumber]);
    return rows.length > 0;
  }

  /** Closes the application decided; a joint-window application is decided when its last part is. */
  async markDecided(manager: EntityManager, caseNumber: string, at: Date): Promise<void> {
    await manager.query(`UPDATE applications SET status = 'decided', closed_at = $2, version = version + 1 WHERE case_number = $1 AND status IN ('accepted', 'accepted-with-missing')`, [caseNumber, at]);
    await manager.query(
      `UPDATE applications b SET status = 'decided', closed_at = $2, version = b.version + 1
        WHERE b.id = (SELECT bundle_id FROM applications WHERE case_number = $1) AND b.status = 'accepted'
          AND NOT EXISTS (SELECT 1 FROM applications c WHERE c.bundle_id = b.id AND c.status <> 'decided')`,
      [caseNumber, at],
    );
  }

  /**
   * The progress view of an application (see VIEW_SQL), or null when there is no such application. A named (prepared)
   * statement on the pool TypeORM holds: PostgreSQL plans it once per connection, not on every read (planning the
   * statement took several times its 0.6 ms of execution).
   */
  async view(ref: ApplicationRef): Promise<ProgressView | null> {
    const [name, text] = ref.by === 'id' ? ['intake_progress_view_by_id', PROGRESS_VIEW_SQL.byId] : ['intake_progress_view_by_case', PROGRESS_VIEW_SQL.byCaseNumber];
    const values = [ref.by === 'id' ? ref.id : ref.caseNumber];
    const pool = (this.ds.driver as unknown as { master?: Pool }).master;
    const rows = pool ? (await pool.query<ViewRow>({ name, text, values })).rows : await this.ds.query<ViewRow[]>(text, values);
    const self = rows.find((r) => r.role === 0);
    if (!self) return null;
    const bundle = rows.find((r) => r.role === 2);
    return {
      app: sourceOf(self),
      parts: rows.filter((r) => r.role === 1).map(sourceOf),
      bundle: bundle ? { id: bundle.id, caseNumber: bundle.case_number, departmentCode: bundle.department_code } : null,
    };
  }

  find(caseNumber: string): Promise<ApplicationProgress | null> {
    return this.ds.getRepository(ApplicationProgress).findOne({ where: { caseNumber } });
  }
}
