import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CalendarProvider } from '../calendar/calendar.provider';
import { Clock } from '../clock/clock';
import { SUPERVISION_CONFIG, type SupervisionConfig } from '../config';
import { orgOfStep } from '../steps/step-orgs';
import { AlertStreamRepository } from '../stream/alert-stream.repository';

export type TargetKind = 'officer' | 'section' | 'department';

export type OrderKind = 'supervision' | 'rectification';

export interface OrderRow {
  id: string;
  kind: OrderKind;
  caseNumber: string;
  stepId: string | null;
  targetKind: TargetKind;
  target: string;
  level: number;
  reason: string;
  issuedBy: string;
  issuedAt: string;
  respondBy: string;
  response: string | null;
  respondedBy: string | null;
  respondedAt: string | null;
  escalatedTo: string | null;
  parentId: string | null;
  closedAt: string | null;
  closedBy: string | null;
}

const iso = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : null);

function toOrder(r: Record<string, unknown>): OrderRow {
  return {
    id: r.id as string,
    kind: r.kind as OrderKind,
    caseNumber: r.case_number as string,
    stepId: r.step_id as string | null,
    targetKind: r.target_kind as TargetKind,
    target: r.target as string,
    level: r.level as number,
    reason: r.reason as string,
    issuedBy: r.issued_by as string,
    issuedAt: iso(r.issued_at)!,
    respondBy: iso(r.respond_by)!,
    response: r.response as string | null,
    respondedBy: r.responded_by as string | null,
    respondedAt: iso(r.responded_at),
    escalatedTo: r.escalated_to as string | null,
    parentId: r.parent_id as string | null,
    closedAt: iso(r.closed_at),
    closedBy: r.closed_by as string | null,
  };
}

export interface NewOrder {
  kind?: OrderKind;
  caseNumber: string;
  stepId: string | null;
  targetKind: TargetKind;
  target: string;
  reason: string;
  issuedBy: string;
  respondWithinWorkingDays: number;
  level?: number;
  parentId?: string | null;
  /** The organisation for the stream's jurisdiction filter. */
  orgCode: string | null;
}

/**
 * Supervision orders (督办, issue 10 §2): issued by the office (or automatically for a red step left unresolved),
 * answered by their target, and escalated one level up when unanswered by their deadline: officer → their section →
 * the case's department → the department again at the next level. Every issue, response and escalation is streamed.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly ds: DataSource,
    private readonly calendar: CalendarProvider,
    private readonly stream: AlertStreamRepository,
    private readonly clock: Clock,
    @Inject(SUPERVISION_CONFIG) private readonly config: SupervisionConfig,
  ) {}

  async issue(m: EntityManager, o: NewOrder): Promise<OrderRow | null> {
    const now = this.clock.now();
    const respondBy = (await this.calendar.get()).deadline(now, o.respondWithinWorkingDays);
    const id = randomUUID();
    const rows = await m.query<Record<string, unknown>[]>(
      `INSERT INTO supervision_orders (id, kind, case_number, step_id, target_kind, target, level, reason, issued_by, issued_at, respond_by, parent_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT DO NOTHING RETURNING *`,
      [id, o.kind ?? 'supervision', o.caseNumber, o.stepId, o.targetKind, o.target, o.level ?? 1, o.reason, o.issuedBy, now, respondBy, o.parentId ?? null],
    );
    if (rows.length === 0) return null;
    const order = toOrder(rows[0]);
    await this.stream.append(m, {
      kind: o.parentId ? 'escalation' : 'supervision-order',
      level: `level-${order.level}`,
      rule: o.kind === 'rectification' ? 'rectification.issued' : o.issuedBy === 'system' ? 'order.red-unresolved' : o.parentId ? 'order.escalated' : 'order.issued',
      dedupeKey: `order:${order.id}`,
      caseNumber: o.caseNumber,
      stepId: o.stepId,
      officer: o.targetKind === 'officer' ? o.target : null,
      orgCode: o.orgCode,
      evidence: { orderId: order.id, kind: order.kind, targetKind: order.targetKind, target: order.target, level: order.level, reason: order.reason, respondBy: order.respondBy, parentId: order.parentId, issuedBy: order.issuedBy },
      raisedAt: now,
    });
    return order;
  }

  async get(id: string): Promise<OrderRow | undefined> {
    const rows = await this.ds.query<Record<string, unknown>[]>(`SELECT * FROM supervision_orders WHERE id = $1`, [id]);
    return rows[0] ? toOrder(rows[0]) : undefined;
  }

  async list(caseNumber: string | undefined): Promise<OrderRow[]> {
    const rows = await this.ds.query<Record<string, unknown>[]>(`SELECT * FROM supervision_orders WHERE ($1::text IS NULL OR case_number = $1) ORDER BY issued_at, level LIMIT 500`, [caseNumber ?? null]);
    return rows.map(toOrder);
  }

  /** Records the response; null when the order is already answered or escalated. */
  async respond(id: string, by: string, response: string): Promise<OrderRow | null> {
    return this.ds.transaction(async (m) => {
      const rows = await m.query<[Record<string, unknown>[], number]>(
        `UPDATE supervision_orders SET response = $2, responded_by = $3, responded_at = $4 WHERE id = $1 AND responded_at IS NULL AND escalated_to IS NULL RETURNING *`,
        [id, response, by, this.clock.now()],
      );
      if (rows[1] === 0) return null;
      return toOrder(rows[0][0]);
    });
  }

  /**
   * Closes a rectification notice once the office has verified the department's rectification (it must have answered
   * first). Null when it is not an open, answered rectification notice.
   */
  async close(id: string, by: string): Promise<OrderRow | null> {
    return this.ds.transaction(async (m) => {
      const rows = await m.query<[Record<string, unknown>[], number]>(
        `UPDATE supervision_orders SET closed_at = $3, closed_by = $2 WHERE id = $1 AND kind = 'rectification' AND responded_at IS NOT NULL AND closed_at IS NULL RETURNING *`,
        [id, by, this.clock.now()],
      );
      if (rows[1] === 0) return null;
      const order = toOrder(rows[0][0]);
      await this.stream.append(m, {
        kind: 'supervision-order',
        level: 'closed',
        rule: 'rectification.closed',
        dedupeKey: `order-closed:${order.id}`,
        caseNumber: order.caseNumber,
        stepId: order.stepId,
        orgCode: order.target,
        evidence: { orderId: order.id, response: order.response, respondedAt: order.respondedAt, closedBy: by },
        raisedAt: this.clock.now(),
      });
      return order;
    });
  }

  /** The organisations of the case behind an order (its step's section and the case's department). */
  async orgsOfCase(m: EntityManager | DataSource, caseNumber: string, stepId: string | null): Promise<{ section: string | null; department: string | null }> {
    const [step] = stepId ? await m.query<{ candidate_groups: string[] }[]>(`SELECT candidate_groups FROM steps WHERE step_id = $1`, [stepId]) : [];
    const [kase] = await m.query<{ department_code: string | null }[]>(`SELECT department_code FROM cases WHERE case_number = $1`, [caseNumber]);
    return { section: step ? orgOfStep({ candidateGroups: step.candidate_groups }) : null, department: kase?.department_code ?? null };
  }

  /**
   * One pass: automatic orders for red steps open ESCALATE_RED_AFTER_WORKING_DAYS working days after their red, and
   * escalation of every order unanswered past its deadline. Safe to repeat and across restarts (unique keys).
   */
  async scan(): Promise<{ issued: number; escalated: number }> {
    const now = this.clock.now();
    const calendar = await this.calendar.get();
    let issued = 0;
    let escalated = 0;
    if (this.config.ESCALATE_RED_AFTER_WORKING_DAYS > 0) {
      const reds = await this.ds.query<{ step_id: string; case_number: string; candidate_groups: string[]; raised_at: Date }[]>(
        `SELECT s.step_id, s.case_number, s.candidate_groups, a.raised_at FROM alerts a JOIN steps s ON s.step_id = a.step_id
          WHERE a.level = 'red' AND s.closed_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM supervision_orders o WHERE o.step_id = s.step_id AND o.issued_by = 'system')
          ORDER BY a.raised_at LIMIT 500`,
      );
      for (const r of reds) {
        if (calendar.workingDaysBetween(r.raised_at, now) < this.config.ESCALATE_RED_AFTER_WORKING_DAYS) continue;
        const section = orgOfStep({ candidateGroups: r.candidate_groups });
        const order = await this.ds.transaction((m) =>
          this.issue(m, {
            caseNumber: r.case_number,
            stepId: r.step_id,
            targetKind: 'section',
            target: section ?? 'unknown',
            reason: `红灯超期未办结：step red since ${r.raised_at.toISOString()} and still open after ${this.config.ESCALATE_RED_AFTER_WORKING_DAYS} working days`,
            issuedBy: 'system',
            respondWithinWorkingDays: this.config.ORDER_RESPONSE_WORKING_DAYS,
            orgCode: section,
          }),
        );
        if (order) issued++;
      }
    }
    const due = await this.ds.query<Record<string, unknown>[]>(
      `SELECT * FROM supervision_orders WHERE responded_at IS NULL AND escalated_to IS NULL AND respond_by < $1 ORDER BY respond_by LIMIT 500`,
      [now],
    );
    for (const raw of due) {
      const o = toOrder(raw);
      const done = await this.ds.transaction(async (m) => {
        const locked = await m.query<unknown[]>(`SELECT 1 FROM supervision_orders WHERE id = $1 AND responded_at IS NULL AND escalated_to IS NULL FOR UPDATE`, [o.id]);
        if (locked.length === 0) return false;
        const orgs = await this.orgsOfCase(m, o.caseNumber, o.stepId);
        const next: { kind: TargetKind; target: string } =
          o.targetKind === 'officer' && orgs.section
            ? { kind: 'section', target: orgs.section }
            : o.targetKind !== 'department' && orgs.department
              ? { kind: 'department', target: orgs.department }
              : { kind: o.targetKind, target: o.target };
        const child = await this.issue(m, {
          kind: o.kind,
          caseNumber: o.caseNumber,
          stepId: o.stepId,
          targetKind: next.kind,
          target: next.target,
          reason: `督办升级：order ${o.id} (level ${o.level}, to ${o.targetKind} ${o.target}) was not answered by ${o.respondBy}`,
          issuedBy: o.issuedBy,
          respondWithinWorkingDays: this.config.ORDER_RESPONSE_WORKING_DAYS,
          level: o.level + 1,
          parentId: o.id,
          orgCode: next.kind === 'officer' ? orgs.section : next.target,
        });
        if (!child) return false;
        await m.query(`UPDATE supervision_orders SET escalated_to = $2 WHERE id = $1`, [o.id, child.id]);
        return true;
      });
      if (done) escalated++;
    }
    return { issued, escalated };
  }
}
