import type { EventType } from '@gov/contracts';
import { type AnyEventOf, type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarProvider } from '../calendar/calendar.provider';
import { caseNumberIn } from '../rules/rules';
import { RulesService } from '../rules/rules.service';
import { STEPS_CONSUMER } from '../steps/step-events.controller';
import { CasesRepository } from './cases.repository';
import { ClocksService } from './clocks.service';

/**
 * Case-level events (intake acceptance, decisions, suspensions, returns, joint review, fees): each is kept as a fact
 * of its case, moves the clocks where it should, and runs the anomaly rules it triggers, in its inbox transaction.
 * Served by the same consumer group as the step events (one inbox consumer for supervision's clocks).
 */
@Controller()
export class CaseEventsController {
  constructor(
    private readonly cases: CasesRepository,
    private readonly clocks: ClocksService,
    private readonly calendar: CalendarProvider,
    private readonly rules: RulesService,
  ) {}

  private async fact(m: EntityManager, caseNumber: string, event: AnyEventOf<EventType>): Promise<void> {
    await this.cases.addFact(m, caseNumber, { eventId: event.id, type: event.type, data: event.data, at: new Date(event.time), source: event.source });
  }

  @OnEvent('gov.intake.application.accepted', { group: STEPS_CONSUMER })
  accepted(event: EventOf<'gov.intake.application.accepted'>, ctx: InboxContext): Promise<void> {
    return this.caseAccepted(event, ctx);
  }

  /** 容缺受理 starts the case like any acceptance (intake publishes only this event for it); its deferred deadline is watched. */
  @OnEvent('gov.intake.application.accepted-with-missing', { group: STEPS_CONSUMER })
  acceptedWithMissing(event: EventOf<'gov.intake.application.accepted-with-missing'>, ctx: InboxContext): Promise<void> {
    return this.caseAccepted(event, ctx);
  }

  /** 视为受理 (seed 001 text 10) starts the case as of the day of receipt. */
  @OnEvent('gov.intake.application.deemed-accepted', { group: STEPS_CONSUMER })
  deemedAccepted(event: EventOf<'gov.intake.application.deemed-accepted'>, ctx: InboxContext): Promise<void> {
    return this.caseAccepted(event, ctx);
  }

  private async caseAccepted(event: AnyEventOf<'gov.intake.application.accepted' | 'gov.intake.application.accepted-with-missing' | 'gov.intake.application.deemed-accepted'>, ctx: InboxContext): Promise<void> {
    const d = event.data;
    const calendar = await this.calendar.get();
    const acceptedAt = new Date(d.acceptedAt);
    const statutory = calendar.deadlineWithCoverage(acceptedAt, d.timeLimitWorkingDays);
    const promised = d.promisedLimitWorkingDays === undefined ? null : calendar.deadlineWithCoverage(acceptedAt, d.promisedLimitWorkingDays);
    await this.cases.insert(ctx.manager, {
      caseNumber: d.caseNumber,
      tenantId: d.tenantId,
      departmentCode: d.departmentCode,
      matterCode: d.matterCode,
      processKey: d.processKey,
      submittedAt: d.submittedAt ? new Date(d.submittedAt) : null,
      acceptedAt,
      statutoryLimitWorkingDays: d.timeLimitWorkingDays,
      promisedLimitWorkingDays: d.promisedLimitWorkingDays ?? null,
      statutoryDeadline: statutory.deadline,
      promisedDeadline: promised?.deadline ?? null,
      deadlineProvisional: statutory.provisional || (promised?.provisional ?? false),
      decidedAt: null,
      decision: null,
    });
    if (statutory.provisional) await this.clocks.warnIfProvisional(ctx.manager, calendar, acceptedAt, statutory.deadline, { caseNumber: d.caseNumber });
    await this.fact(ctx.manager, d.caseNumber, event);
    await this.rules.evaluate(ctx.manager, d.caseNumber, event);
  }

  @OnEvent('gov.approval.case.decided', { group: STEPS_CONSUMER })
  async decided(event: EventOf<'gov.approval.case.decided'>, ctx: InboxContext): Promise<void> {
    await this.fact(ctx.manager, event.data.caseNumber, event);
    await this.rules.evaluate(ctx.manager, event.data.caseNumber, event);
    // after the rules, so that "changed after decision" never sees the decision itself as a change
    await this.cases.decide(ctx.manager, event.data.caseNumber, new Date(event.data.decidedAt), event.data.decision);
  }

  /** A case withdrawn or terminated stops its clocks as a decision does (no light for a case that ended). */
  @OnEvent('gov.approval.case.ended', { group: STEPS_CONSUMER })
  async ended(event: EventOf<'gov.approval.case.ended'>, ctx: InboxContext): Promise<void> {
    await this.fact(ctx.manager, event.data.caseNumber, event);
    await this.cases.decide(ctx.manager, event.data.caseNumber, new Date(event.data.endedAt), event.data.outcome);
    await this.rules.evaluate(ctx.manager, event.data.caseNumber, event);
  }

  /** What meets a 容缺 commitment (materials received, or the case ended for want of them) or ends the case. */
  @OnEvent('gov.intake.application.deferred-materials-received', { group: STEPS_CONSUMER })
  deferredReceived(event: EventOf<'gov.intake.application.deferred-materials-received'>, ctx: InboxContext): Promise<void> {
    return this.factAndRules(event, ctx);
  }

  @OnEvent('gov.intake.application.terminated', { group: STEPS_CONSUMER })
  terminated(event: EventOf<'gov.intake.application.terminated'>, ctx: InboxContext): Promise<void> {
    return this.factAndRules(event, ctx);
  }

  @OnEvent('gov.intake.application.withdrawn', { group: STEPS_CONSUMER })
  withdrawn(event: EventOf<'gov.intake.application.withdrawn'>, ctx: InboxContext): Promise<void> {
    return this.factAndRules(event, ctx);
  }

  /** A refused (403) request whose path names a case: the unauthorised-action rule's evidence. Others pass by. */
  @OnEvent('gov.platform.security.recorded', { group: STEPS_CONSUMER })
  async securityRecorded(event: EventOf<'gov.platform.security.recorded'>, ctx: InboxContext): Promise<void> {
    if (event.data.category !== 'authorisation-refusal') return;
    const caseNumber = caseNumberIn(event.data.target);
    if (caseNumber) await this.rules.evaluate(ctx.manager, caseNumber, event);
  }

  private async factAndRules(event: AnyEventOf<'gov.intake.application.deferred-materials-received' | 'gov.intake.application.terminated' | 'gov.intake.application.withdrawn'>, ctx: InboxContext): Promise<void> {
    await this.fact(ctx.manager, event.data.caseNumber, event);
    await this.rules.evaluate(ctx.manager, event.data.caseNumber, event);
  }

  @OnEvent('gov.approval.step.suspended', { group: STEPS_CONSUMER })
  async suspended(event: EventOf<'gov.approval.step.suspended'>, ctx: InboxContext): Promise<void> {
    const d = event.data;
    await this.cases.suspend(ctx.manager, { suspensionId: d.suspensionId, caseNumber: d.caseNumber, stepId: d.stepId, reason: d.reason, statedWorkingDays: d.statedWorkingDays, suspendedAt: new Date(d.suspendedAt) });
    await this.fact(ctx.manager, d.caseNumber, event);
    await this.rules.evaluate(ctx.manager, d.caseNumber, event);
  }

  @OnEvent('gov.approval.step.resumed', { group: STEPS_CONSUMER })
  async resumed(event: EventOf<'gov.approval.step.resumed'>, ctx: InboxContext): Promise<void> {
    const d = event.data;
    await this.fact(ctx.manager, d.caseNumber, event);
    if (await this.cases.resume(ctx.manager, d.suspensionId, new Date(d.resumedAt))) await this.clocks.recomputeCase(ctx.manager, d.caseNumber);
    await this.rules.evaluate(ctx.manager, d.caseNumber, event);
  }

  @OnEvent('gov.approval.case.returned', { group: STEPS_CONSUMER })
  async returned(event: EventOf<'gov.approval.case.returned'>, ctx: InboxContext): Promise<void> {
    await this.fact(ctx.manager, event.data.caseNumber, event);
    await this.rules.evaluate(ctx.manager, event.data.caseNumber, event);
  }

  @OnEvent('gov.approval.joint-review.requested', { group: STEPS_CONSUMER })
  async jointReviewRequested(event: EventOf<'gov.approval.joint-review.requested'>, ctx: InboxContext): Promise<void> {
    await this.fact(ctx.manager, event.data.caseNumber, event);
  }

  @OnEvent('gov.approval.joint-review.opinion-recorded', { group: STEPS_CONSUMER })
  async jointReviewOpinion(event: EventOf<'gov.approval.joint-review.opinion-recorded'>, ctx: InboxContext): Promise<void> {
    await this.fact(ctx.manager, event.data.caseNumber, event);
  }

  @OnEvent('gov.approval.decision.published', { group: STEPS_CONSUMER })
  async decisionPublished(event: EventOf<'gov.approval.decision.published'>, ctx: InboxContext): Promise<void> {
    await this.fact(ctx.manager, event.data.caseNumber, event);
    await this.rules.evaluate(ctx.manager, event.data.caseNumber, event);
  }

  /**
   * Intake's public feed published a decision (公示, art. 21), with the deadline the law sets (dueBy): the publication
   * the decision-unpublished watch waits for, and publicity-late's evidence.
   */
  @OnEvent('gov.intake.publicity.published', { group: STEPS_CONSUMER })
  async publicityPublished(event: EventOf<'gov.intake.publicity.published'>, ctx: InboxContext): Promise<void> {
    await this.fact(ctx.manager, event.data.caseNumber, event);
    await this.rules.evaluate(ctx.manager, event.data.caseNumber, event);
  }

  /** The handler's fee determination at approval (wt/fees): its items with the catalogue's amounts. */
  @OnEvent('gov.approval.fee.determined', { group: STEPS_CONSUMER })
  async feeDetermined(event: EventOf<'gov.approval.fee.determined'>, ctx: InboxContext): Promise<void> {
    await this.fact(ctx.manager, event.data.caseNumber, event);
    await this.rules.evaluate(ctx.manager, event.data.caseNumber, event);
  }

  @OnEvent('gov.intake.fee.assessed', { group: STEPS_CONSUMER })
  async feeAssessed(event: EventOf<'gov.intake.fee.assessed'>, ctx: InboxContext): Promise<void> {
    await this.fact(ctx.manager, event.data.caseNumber, event);
    await this.rules.evaluate(ctx.manager, event.data.caseNumber, event);
  }
}
