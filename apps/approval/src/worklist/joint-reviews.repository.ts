import { makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * The co-review steps of joint reviews (并联审批 / 会签, seed 003) and their opinions, announced to supervision: a
 * co-review step opened is `gov.approval.joint-review.requested` (its department), its completion
 * `gov.approval.joint-review.opinion-recorded`; each once, in the caller's transaction (the row is the guard).
 * `reviewId` is the co-review step's task id, so a request and its answer pair up. Supervision's 会签意见不全 rule
 * (seed 004 art. 27) flags a decision issued while a department asked has not answered.
 */
@Injectable()
export class JointReviewsRepository {
  /** A co-review step of `departmentCode` opened (the step event, or the catch-up that found the step). */
  async requested(m: EntityManager, r: { taskId: string; caseNumber: string; tenantId: string | null; departmentCode: string; at: Date }): Promise<boolean> {
    const rows = await m.query<unknown[]>(
      `INSERT INTO joint_review_requests (task_id, case_number, department_code, requested_at) VALUES ($1, $2, $3, $4) ON CONFLICT (task_id) DO NOTHING RETURNING task_id`,
      [r.taskId, r.caseNumber, r.departmentCode, r.at],
    );
    if (rows.length === 0) return false;
    await enqueueEvent(
      m,
      makeEvent({
        type: 'gov.approval.joint-review.requested',
        source: '/approval',
        subject: r.caseNumber,
        ...(r.tenantId ? { tenantId: r.tenantId } : {}),
        correlationId: r.taskId,
        data: { caseNumber: r.caseNumber, reviewId: r.taskId, departments: [r.departmentCode], requestedAt: r.at.toISOString() },
      }),
    );
    return true;
  }

  /**
   * In the confirming transaction of a step's completion: when the step is a co-review step, its department's opinion
   * (approve: agree; reject: disagree, a veto). A co-review step whose opening the read model had not yet seen is
   * recorded as asked first, by the case's co-reviewing department among the officer's groups (unless the officer acts
   * for the lead department as well).
   */
  async answered(m: EntityManager, c: { taskId: string; caseNumber: string; outcome: 'approve' | 'reject'; actorGroups: readonly string[] | null; at: Date }): Promise<void> {
    const [kase] = await m.query<{ tenant_id: string; department_code: string; co_department_codes: string[] | null }[]>(
      `SELECT tenant_id, department_code, co_department_codes FROM cases WHERE case_number = $1`,
      [c.caseNumber],
    );
    const co = kase?.co_department_codes ?? [];
    if (co.length === 0) return;
    let [req] = await m.query<{ department_code: string; opinion: string | null }[]>(`SELECT department_code, opinion FROM joint_review_requests WHERE task_id = $1 FOR UPDATE`, [c.taskId]);
    if (!req) {
      const orgs = (c.actorGroups ?? []).map((g) => g.slice(g.indexOf(':') + 1));
      // (an officer of the lead department too cannot be told apart here: such a step is not taken for a co-review)
      const department = orgs.includes(kase.department_code) ? undefined : co.find((d) => orgs.includes(d));
      if (!department) return;
      await this.requested(m, { taskId: c.taskId, caseNumber: c.caseNumber, tenantId: kase.tenant_id, departmentCode: department, at: c.at });
      req = { department_code: department, opinion: null };
    }
    if (req.opinion) return;
    const opinion = c.outcome === 'approve' ? 'agree' : 'disagree';
    await m.query(`UPDATE joint_review_requests SET opinion = $2, answered_at = $3 WHERE task_id = $1`, [c.taskId, opinion, c.at]);
    await enqueueEvent(
      m,
      makeEvent({
        type: 'gov.approval.joint-review.opinion-recorded',
        source: '/approval',
        subject: c.caseNumber,
        tenantId: kase.tenant_id,
        correlationId: c.taskId,
        data: { caseNumber: c.caseNumber, reviewId: c.taskId, departmentCode: req.department_code, opinion, recordedAt: c.at.toISOString() },
      }),
    );
  }
}
