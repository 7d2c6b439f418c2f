import { WORKER_TOPICS, makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { type ExternalTask } from '@gov/workflow';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Case } from '../cases/case.entity';
import { CasesRepository } from '../cases/cases.repository';
import { OpinionsRepository, type StoredOpinion } from '../worklist/opinions.repository';
import { DecisionsRepository } from './decisions.repository';
import { EndCaseHandler } from './end-case.handler';

/**
 * What the decision documents print besides the decision (intake's 准予/不予许可决定书, seed 001 text 3 art. 15-20):
 * the officer who signed the decision off (the last opinion), the deciding organisation, and for a refusal the
 * reasons the disagreeing officers gave, in order.
 */
export function decisionDetails(decision: 'approved' | 'rejected', departmentCode: string, opinions: readonly StoredOpinion[]) {
  const last = opinions[opinions.length - 1];
  const reasons =
    decision === 'rejected'
      ? opinions
          .filter((o) => o.outcome === 'reject')
          .map((o) => o.opinion.trim().slice(0, 1000))
          .filter((r) => r.length > 0)
          .slice(-50)
      : [];
  return {
    decidingDepartmentCode: departmentCode,
    ...(last ? { decidedBy: { id: last.officerId.slice(0, 200), name: last.officerLabel.slice(0, 200) } } : {}),
    ...(reasons.length > 0 ? { reasons } : {}),
  };
}

/** A flow's ISO-8601 duration (P30D, P1M, PT12H, P1Y2M10DT2H30M, P2W) added to a time; null when it is not one. */
export function addIsoDuration(at: Date, duration: string): Date | null {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration.trim());
  if (!m || duration.trim() === 'P' || duration.trim().endsWith('T')) return null;
  const [y, mo, w, d, h, mi, sec] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  const out = new Date(at.getTime());
  // Calendar years and months as the engine's timer does (java.time: the day clamps to the month's last).
  if (y || mo) {
    const day = out.getUTCDate();
    out.setUTCDate(1);
    out.setUTCMonth(out.getUTCMonth() + y * 12 + mo);
    const last = new Date(Date.UTC(out.getUTCFullYear(), out.getUTCMonth() + 1, 0)).getUTCDate();
    out.setUTCDate(Math.min(day, last));
  }
  out.setTime(out.getTime() + (((w * 7 + d) * 24 + h) * 60 + mi) * 60_000 + sec * 1000);
  return out;
}

/** The kinds a flow may ask the `issue-decision` topic for (the `decision` variable; none: an approval). */
export const FLOW_DECISIONS = ['approved', 'rejected', 'filed', 'revoked', 'withdrawn'] as const;
export type FlowDecision = (typeof FLOW_DECISIONS)[number];

/** The reasons a revocation prints: the flow's `revocationReason`, else the opinions given after the approval (the false-commitment record and the revocation step). */
export function revocationReasons(variable: unknown, opinions: readonly StoredOpinion[], approvedAt: Date): string[] {
  if (typeof variable === 'string' && variable.trim()) return [variable.trim().slice(0, 1000)];
  return opinions
    .filter((o) => o.createdAt > approvedAt)
    .map((o) => o.opinion.trim().slice(0, 1000))
    .filter((r) => r.length > 0)
    .slice(-50);
}

/**
 * Issues the decision when the flow reaches a system step of topic `issue-decision`: 准予/不予许可决定, the filing
 * receipt (`filed`, filing.bpmn), the revocation of the case's approval (`revoked`, notification-commitment.bpmn) or
 * the 准予撤回 of the flows' withdrawal subprocess (`withdrawn`). Idempotent: the case row is locked, and a case has one
 * outcome and at most one revocation, so a task fetched again (an expired lock, a second worker) returns the document
 * already issued. A withdrawal is recorded exactly as intake's (EndCaseHandler): `gov.approval.case.ended`, one
 * 准予撤回 whichever way it arrived; the instance is not deleted (the subprocess is ending it).
 */
@Injectable()
export class IssueDecisionWorker {
  readonly topic = WORKER_TOPICS.issueDecision;

  constructor(
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly decisions: DecisionsRepository,
    private readonly opinions: OpinionsRepository,
    private readonly endings: EndCaseHandler,
  ) {}

  async handle(task: ExternalTask): Promise<{ decision: string; documentNumber: string }> {
    const caseNumber = task.businessKey;
    if (!caseNumber) throw new Error(`process ${task.processInstanceId} has no business key`);
    const requested = task.variables.decision ?? 'approved';
    if (!FLOW_DECISIONS.includes(requested as FlowDecision)) {
      throw new Error(`decision ${JSON.stringify(requested)} requested by ${task.activityId} is not one this worker issues (${FLOW_DECISIONS.join(', ')})`);
    }
    const decision = requested as FlowDecision;
    return this.ds.transaction(async (manager) => {
      const c = await this.cases.lock(manager, caseNumber);
      if (!c) throw new Error(`case ${caseNumber} is unknown to approval`);
      if (decision === 'withdrawn') return this.withdraw(manager, c, task);
      if (decision === 'revoked') return this.revoke(manager, c, task);
      const existing = await this.decisions.forCase(manager, caseNumber);
      if (existing) return { decision: existing.decision, documentNumber: existing.documentNumber };
      const decidedAt = new Date();
      const documentNumber = await this.decisions.nextDocumentNumber(manager, c, decision, decidedAt);
      const details = decisionDetails(decision === 'rejected' ? 'rejected' : 'approved', c.departmentCode, await this.opinions.forCase(caseNumber, manager));
      // 上报件: the higher authority's approval (批文) is the city's sign-off; intake counts publicity from it (art. 21 (三)).
      const higherApprovalAt = decision === 'approved' && c.reportsToDepartmentCode && c.processInstanceId ? await this.decisions.higherApprovalAt(manager, caseNumber, c.processInstanceId) : null;
      await this.decisions.insert(manager, { caseNumber, processInstanceId: task.processInstanceId, decision, documentNumber, decidedAt });
      await this.cases.markDecided(manager, caseNumber, decidedAt);
      const refusalReason = typeof task.variables.refusalReason === 'string' && task.variables.refusalReason.trim() ? task.variables.refusalReason.trim().slice(0, 200) : undefined;
      // 告知承诺制: the approval opens the verification period (the flow's timer uses the same variable and default).
      const commitment = decision === 'approved' && (c.processKey === 'notification-commitment' || typeof task.variables.verificationPeriod === 'string');
      const period = typeof task.variables.verificationPeriod === 'string' ? task.variables.verificationPeriod : 'P30D';
      const verificationDueAt = commitment ? (addIsoDuration(decidedAt, period) ?? addIsoDuration(decidedAt, 'P30D')) : null;
      await enqueueEvent(
        manager,
        makeEvent({
          type: 'gov.approval.case.decided',
          source: '/approval',
          subject: caseNumber,
          tenantId: c.tenantId,
          data: {
            caseNumber,
            processInstanceId: task.processInstanceId,
            decision,
            documentNumber,
            decidedAt: decidedAt.toISOString(),
            ...details,
            ...(refusalReason ? { refusalReason } : {}),
            ...(verificationDueAt ? { verificationDueAt: verificationDueAt.toISOString() } : {}),
            ...(higherApprovalAt ? { higherApprovalAt: higherApprovalAt.toISOString() } : {}),
          },
        }),
      );
      return { decision, documentNumber };
    });
  }

  /** 撤销许可决定: a second document of an approved case, naming the approval it revokes. */
  private async revoke(manager: EntityManager, c: Case, task: ExternalTask): Promise<{ decision: string; documentNumber: string }> {
    const existing = await this.decisions.ofKind(manager, c.caseNumber, 'revoked');
    if (existing) return { decision: existing.decision, documentNumber: existing.documentNumber };
    const approval = await this.decisions.forCase(manager, c.caseNumber);
    if (!approval || approval.decision !== 'approved') {
      throw new Error(`case ${c.caseNumber} has no approval to revoke (${approval ? approval.decision : 'no decision'}); ${task.activityId} cannot issue a revocation`);
    }
    const decidedAt = new Date();
    const documentNumber = await this.decisions.nextDocumentNumber(manager, c, 'revoked', decidedAt);
    const opinions = await this.opinions.forCase(c.caseNumber, manager);
    const reasons = revocationReasons(task.variables.revocationReason, opinions, approval.decidedAt);
    const { reasons: _none, ...details } = decisionDetails('approved', c.departmentCode, opinions);
    const record = typeof task.variables.creditRecord === 'string' && task.variables.creditRecord.trim() ? task.variables.creditRecord.trim().slice(0, 500) : undefined;
    await this.decisions.insert(manager, { caseNumber: c.caseNumber, processInstanceId: task.processInstanceId, decision: 'revoked', documentNumber, decidedAt, revokesDocumentNumber: approval.documentNumber });
    await enqueueEvent(
      manager,
      makeEvent({
        type: 'gov.approval.case.decided',
        source: '/approval',
        subject: c.caseNumber,
        tenantId: c.tenantId,
        data: {
          caseNumber: c.caseNumber,
          processInstanceId: task.processInstanceId,
          decision: 'revoked',
          documentNumber,
          decidedAt: decidedAt.toISOString(),
          revokesDocumentNumber: approval.documentNumber,
          ...details,
          ...(record ? { creditRecord: record } : {}),
          ...(reasons.length > 0 ? { reasons } : {}),
        },
      }),
    );
    return { decision: 'revoked', documentNumber };
  }

  /**
   * 准予撤回 from the flow's withdrawal subprocess (the message `withdrawal` correlated to the instance). One document
   * whichever way the withdrawal arrives: a case intake already ended (gov.intake.application.withdrawn → EndCaseHandler)
   * answers its document; otherwise it is recorded here as EndCaseHandler records it (gov.approval.case.ended, which
   * intake turns into its 准予撤回 notice), without deleting the instance (the subprocess is ending it). A case already
   * decided on the merits cannot be withdrawn: the task fails into an incident for an officer to resolve.
   */
  private async withdraw(manager: EntityManager, c: Case, task: ExternalTask): Promise<{ decision: string; documentNumber: string }> {
    const existing = await this.decisions.forCase(manager, c.caseNumber);
    if (existing?.decision === 'withdrawn' || existing?.decision === 'terminated') return { decision: existing.decision, documentNumber: existing.documentNumber };
    if (existing) throw new Error(`case ${c.caseNumber} was already decided (${existing.decision}, ${existing.documentNumber}); ${task.activityId} cannot withdraw it`);
    const given = task.variables.withdrawalReason;
    const reason = typeof given === 'string' && given.trim() ? given.trim().slice(0, 2000) : '申请人撤回申请';
    const { documentNumber } = await this.endings.record(manager, c, { caseNumber: c.caseNumber, outcome: 'withdrawn', reason }, null);
    return { decision: 'withdrawn', documentNumber };
  }
}
