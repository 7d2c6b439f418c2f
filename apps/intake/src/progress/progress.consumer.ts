import type { CaseDecisionKind } from '@gov/contracts';
import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApplicationProgress } from './progress.entity';
import { ProgressRepository } from './progress.repository';

/** The document each decision kind issues, as the progress view names it. */
const DECISION_DOCUMENTS: Record<CaseDecisionKind, string> = {
  approved: '准予行政许可决定书',
  rejected: '不予行政许可决定书',
  filed: '备案回执',
  revoked: '撤销行政许可决定书',
};

/** The inbox consumer group of the progress read model (also the inbox's consumer name: keep it stable). */
export const PROGRESS_CONSUMER = 'intake.progress';

/**
 * Projects approval's and supervision's events into the applicant's progress view (办件进度): the case started, each
 * step opened and closed with its department (candidate groups) and limit, the decision or the end of the case, the
 * supervision light. The decision also closes the application (status `decided`), in the same transaction.
 */
@Controller()
export class ProgressConsumer {
  constructor(private readonly progress: ProgressRepository) {}

  private async apply(manager: EntityManager, caseNumber: string | null, at: Date, change: (p: ApplicationProgress) => void): Promise<void> {
    if (!caseNumber || !(await this.progress.isOurs(manager, caseNumber))) return;
    const p = await this.progress.lock(manager, caseNumber, at);
    change(p);
    p.updatedAt = new Date();
    await this.progress.save(manager, p);
  }

  @OnEvent('gov.approval.case.started', { group: PROGRESS_CONSUMER })
  async caseStarted(event: EventOf<'gov.approval.case.started'>, ctx: InboxContext): Promise<void> {
    const d = event.data;
    await this.apply(ctx.manager, d.caseNumber, new Date(d.startedAt), (p) => {
      p.processInstanceId = d.processInstanceId;
      p.startedAt = new Date(d.startedAt);
    });
  }

  @OnEvent('gov.approval.step.opened', { group: PROGRESS_CONSUMER })
  async stepOpened(event: EventOf<'gov.approval.step.opened'>, ctx: InboxContext): Promise<void> {
    const d = event.data;
    await this.apply(ctx.manager, d.businessKey, new Date(d.openedAt), (p) => {
      if (p.result) return;
      if (!p.steps.some((s) => s.taskId === d.taskId)) p.steps = [...p.steps, { taskId: d.taskId, step: d.taskDefinitionKey, name: d.name, groups: d.candidateGroups, openedAt: d.openedAt, completedAt: null, cancelled: false }];
      p.currentStep = d.taskDefinitionKey;
      p.currentStepName = d.name;
      p.currentGroups = d.candidateGroups;
      p.stepOpenedAt = new Date(d.openedAt);
      p.stepLimitWorkingDays = d.timeLimitWorkingDays;
      p.light = 'green';
    });
  }

  @OnEvent('gov.approval.step.completed', { group: PROGRESS_CONSUMER })
  stepCompleted(event: EventOf<'gov.approval.step.completed'>, ctx: InboxContext): Promise<void> {
    return this.stepClosed(event.data, false, ctx.manager);
  }

  @OnEvent('gov.approval.step.cancelled', { group: PROGRESS_CONSUMER })
  stepCancelled(event: EventOf<'gov.approval.step.cancelled'>, ctx: InboxContext): Promise<void> {
    return this.stepClosed(event.data, true, ctx.manager);
  }

  private async stepClosed(d: EventOf<'gov.approval.step.completed'>['data'], cancelled: boolean, manager: EntityManager): Promise<void> {
    const at = d.completedAt ?? new Date().toISOString();
    await this.apply(manager, d.businessKey, new Date(at), (p) => {
      p.steps = p.steps.map((s) => (s.taskId === d.taskId ? { ...s, completedAt: at, cancelled } : s));
      const open = p.steps.filter((s) => s.completedAt === null);
      const current = open[open.length - 1];
      p.currentStep = current?.step ?? null;
      p.currentStepName = current?.name ?? null;
      p.currentGroups = current?.groups ?? [];
      p.stepOpenedAt = current ? new Date(current.openedAt) : null;
      if (!current) p.stepLimitWorkingDays = null;
    });
  }

  @OnEvent('gov.approval.case.decided', { group: PROGRESS_CONSUMER })
  async caseDecided(event: EventOf<'gov.approval.case.decided'>, ctx: InboxContext): Promise<void> {
    const d = event.data;
    await this.apply(ctx.manager, d.caseNumber, new Date(d.decidedAt), (p) => {
      p.result = { outcome: d.decision, documentNumber: d.documentNumber, at: d.decidedAt };
      if (!p.documents.some((x) => x.documentNumber === d.documentNumber)) {
        p.documents = [...p.documents, { kind: DECISION_DOCUMENTS[d.decision], documentNumber: d.documentNumber, issuedAt: d.decidedAt }];
      }
      this.closeSteps(p, d.decidedAt);
    });
    if (await this.progress.isOurs(ctx.manager, d.caseNumber)) await this.progress.markDecided(ctx.manager, d.caseNumber, new Date(d.decidedAt));
  }

  /** The 缴费通知书 (its 文号 as intake's notice issuer numbers it) among the documents, with its deadline in the result line. */
  @OnEvent('gov.approval.fee.payment-requested', { group: PROGRESS_CONSUMER })
  async paymentRequested(event: EventOf<'gov.approval.fee.payment-requested'>, ctx: InboxContext): Promise<void> {
    const d = event.data;
    const documentNumber = `缴字〔${new Date(new Date(d.requestedAt).getTime() + 8 * 3600_000).toISOString().slice(0, 4)}〕${d.caseNumber}号`;
    await this.apply(ctx.manager, d.caseNumber, new Date(d.requestedAt), (p) => {
      if (!p.documents.some((x) => x.documentNumber === documentNumber)) {
        p.documents = [...p.documents, { kind: '缴费通知书', documentNumber, issuedAt: d.requestedAt }];
      }
    });
  }

  @OnEvent('gov.approval.case.ended', { group: PROGRESS_CONSUMER })
  async caseEnded(event: EventOf<'gov.approval.case.ended'>, ctx: InboxContext): Promise<void> {
    const d = event.data;
    await this.apply(ctx.manager, d.caseNumber, new Date(d.endedAt), (p) => {
      p.result = { outcome: d.outcome, documentNumber: d.documentNumber, at: d.endedAt };
      if (!p.documents.some((x) => x.documentNumber === d.documentNumber)) {
        p.documents = [...p.documents, { kind: d.outcome === 'withdrawn' ? '准予撤回行政许可申请决定书' : '终止办理通知书', documentNumber: d.documentNumber, issuedAt: d.endedAt }];
      }
      this.closeSteps(p, d.endedAt);
    });
  }

  @OnEvent('gov.supervision.alert.raised', { group: PROGRESS_CONSUMER })
  async alertRaised(event: EventOf<'gov.supervision.alert.raised'>, ctx: InboxContext): Promise<void> {
    const d = event.data;
    await this.apply(ctx.manager, d.caseNumber, new Date(d.raisedAt), (p) => {
      if (!p.result && p.currentStep === d.taskDefinitionKey) p.light = d.level;
    });
  }

  private closeSteps(p: ApplicationProgress, at: string): void {
    p.steps = p.steps.map((s) => (s.completedAt === null ? { ...s, completedAt: at, cancelled: true } : s));
    p.currentStep = null;
    p.currentStepName = null;
    p.currentGroups = [];
    p.stepOpenedAt = null;
    p.stepLimitWorkingDays = null;
    p.light = null;
  }
}
