import { WORKER_TOPICS, makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { type ExternalTask } from '@gov/workflow';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CasesRepository } from '../cases/cases.repository';
import { OpinionsRepository, type StoredOpinion } from '../worklist/opinions.repository';
import { DecisionsRepository } from './decisions.repository';

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

/**
 * Issues the decision (准予/不予许可决定) when the flow reaches the system step. Idempotent: the decision row is
 * unique per case, so a task fetched again after an expired lock returns the decision already issued.
 */
@Injectable()
export class IssueDecisionWorker {
  readonly topic = WORKER_TOPICS.issueDecision;

  constructor(
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly decisions: DecisionsRepository,
    private readonly opinions: OpinionsRepository,
  ) {}

  async handle(task: ExternalTask): Promise<{ decision: string; documentNumber: string }> {
    const caseNumber = task.businessKey;
    if (!caseNumber) throw new Error(`process ${task.processInstanceId} has no business key`);
    const requested = task.variables.decision;
    // The flow library also asks this topic for 准予撤回 (withdrawn), revocations and filing receipts. Until those
    // documents exist (issue 9 §3) such a task fails into an incident rather than being issued as an approval.
    if (requested !== undefined && requested !== null && requested !== 'approved' && requested !== 'rejected') {
      throw new Error(`decision ${JSON.stringify(requested)} requested by ${task.activityId} is not issued by this worker yet`);
    }
    const decision = requested === 'rejected' ? 'rejected' : 'approved';
    return this.ds.transaction(async (manager) => {
      const existing = await this.decisions.forCase(manager, caseNumber);
      if (existing) return existing;
      const c = await this.cases.find(caseNumber);
      if (!c) throw new Error(`case ${caseNumber} is unknown to approval`);
      const decidedAt = new Date();
      const year = Number(new Date(decidedAt.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 4));
      const counter = await this.decisions.nextCounter(manager, c.tenantId, year);
      // e.g. 441200-SCJG-许〔2026〕000001号
      const documentNumber = `${c.tenantId}-${c.departmentCode}-${decision === 'approved' ? '许' : '不许'}〔${year}〕${String(counter).padStart(6, '0')}号`;
      const details = decisionDetails(decision, c.departmentCode, await this.opinions.forCase(caseNumber));
      // 上报件: the higher authority's approval (批文) is the city's sign-off; intake counts publicity from it (art. 21 (三)).
      const higherApprovalAt = c.reportsToDepartmentCode && c.processInstanceId ? await this.decisions.higherApprovalAt(manager, caseNumber, c.processInstanceId) : null;
      await this.decisions.insert(manager, { caseNumber, processInstanceId: task.processInstanceId, decision, documentNumber, decidedAt });
      await this.cases.markDecided(manager, caseNumber, decidedAt);
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
            ...(higherApprovalAt ? { higherApprovalAt: higherApprovalAt.toISOString() } : {}),
          },
        }),
      );
      return { decision, documentNumber };
    });
  }
}
