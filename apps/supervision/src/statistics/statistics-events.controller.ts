import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller } from '@nestjs/common';
import { StatisticsRecorder } from './statistics-recorder.service';

/** The statistics consumer group (also its inbox name: keep it stable). */
export const STATISTICS_CONSUMER = 'supervision.statistics';

/** Statistics are fed from Kafka only: intake, approval and supervision events, each applied with its inbox row. */
@Controller()
export class StatisticsEventsController {
  constructor(private readonly recorder: StatisticsRecorder) {}

  @OnEvent('gov.intake.application.accepted', { group: STATISTICS_CONSUMER })
  accepted(event: EventOf<'gov.intake.application.accepted'>, ctx: InboxContext): Promise<void> {
    return this.recorder.accepted(event, ctx.manager);
  }

  /** 容缺受理 and 视为受理 are acceptances too (intake publishes only these events for them). */
  @OnEvent('gov.intake.application.accepted-with-missing', { group: STATISTICS_CONSUMER })
  acceptedWithMissing(event: EventOf<'gov.intake.application.accepted-with-missing'>, ctx: InboxContext): Promise<void> {
    return this.recorder.accepted(event, ctx.manager);
  }

  @OnEvent('gov.intake.application.deemed-accepted', { group: STATISTICS_CONSUMER })
  deemedAccepted(event: EventOf<'gov.intake.application.deemed-accepted'>, ctx: InboxContext): Promise<void> {
    return this.recorder.accepted(event, ctx.manager);
  }

  @OnEvent('gov.approval.step.completed', { group: STATISTICS_CONSUMER })
  stepCompleted(event: EventOf<'gov.approval.step.completed'>, ctx: InboxContext): Promise<void> {
    return this.recorder.stepCompleted(event, ctx.manager);
  }

  @OnEvent('gov.approval.case.decided', { group: STATISTICS_CONSUMER })
  decided(event: EventOf<'gov.approval.case.decided'>, ctx: InboxContext): Promise<void> {
    return this.recorder.decided(event, ctx.manager);
  }

  @OnEvent('gov.supervision.alert.raised', { group: STATISTICS_CONSUMER })
  alert(event: EventOf<'gov.supervision.alert.raised'>, ctx: InboxContext): Promise<void> {
    return this.recorder.alert(event, ctx.manager);
  }

  @OnEvent('gov.supervision.case-light.raised', { group: STATISTICS_CONSUMER })
  caseLight(event: EventOf<'gov.supervision.case-light.raised'>, ctx: InboxContext): Promise<void> {
    return this.recorder.caseLight(event, ctx.manager);
  }

  @OnEvent('gov.approval.case.returned', { group: STATISTICS_CONSUMER })
  returned(event: EventOf<'gov.approval.case.returned'>, ctx: InboxContext): Promise<void> {
    return this.recorder.returned(event, ctx.manager);
  }

  @OnEvent('gov.approval.step.suspended', { group: STATISTICS_CONSUMER })
  suspended(event: EventOf<'gov.approval.step.suspended'>, ctx: InboxContext): Promise<void> {
    return this.recorder.suspended(event, ctx.manager);
  }

  @OnEvent('gov.intake.consultation.asked', { group: STATISTICS_CONSUMER })
  consultationAsked(event: EventOf<'gov.intake.consultation.asked'>, ctx: InboxContext): Promise<void> {
    return this.recorder.consultation(event, ctx.manager);
  }

  @OnEvent('gov.intake.consultation.overdue', { group: STATISTICS_CONSUMER })
  consultationOverdue(event: EventOf<'gov.intake.consultation.overdue'>, ctx: InboxContext): Promise<void> {
    return this.recorder.consultation(event, ctx.manager);
  }

  @OnEvent('gov.supervision.complaint.filed', { group: STATISTICS_CONSUMER })
  complaint(event: EventOf<'gov.supervision.complaint.filed'>, ctx: InboxContext): Promise<void> {
    return this.recorder.complaint(event, ctx.manager);
  }

  @OnEvent('gov.supervision.rating.submitted', { group: STATISTICS_CONSUMER })
  rating(event: EventOf<'gov.supervision.rating.submitted'>, ctx: InboxContext): Promise<void> {
    return this.recorder.rating(event, ctx.manager);
  }
}
