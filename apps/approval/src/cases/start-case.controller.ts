import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller } from '@nestjs/common';
import { StartCaseHandler } from './start-case.handler';

/** The inbox consumer group that starts cases (also the inbox's consumer name: keep it stable). */
export const START_CASE_CONSUMER = 'approval.start-case';

/**
 * Accepted applications from `intake.application.v1` (by the window, with materials missing, or deemed accepted):
 * a case starts only on acceptance. Served by the inbox transport (one transaction per event).
 */
@Controller()
export class StartCaseConsumer {
  constructor(private readonly startCase: StartCaseHandler) {}

  @OnEvent('gov.intake.application.accepted', { group: START_CASE_CONSUMER })
  accepted(event: EventOf<'gov.intake.application.accepted'>, ctx: InboxContext): Promise<void> {
    return this.startCase.handle(event, ctx);
  }

  @OnEvent('gov.intake.application.accepted-with-missing', { group: START_CASE_CONSUMER })
  acceptedWithMissing(event: EventOf<'gov.intake.application.accepted-with-missing'>, ctx: InboxContext): Promise<void> {
    return this.startCase.handle(event, ctx);
  }

  @OnEvent('gov.intake.application.deemed-accepted', { group: START_CASE_CONSUMER })
  deemedAccepted(event: EventOf<'gov.intake.application.deemed-accepted'>, ctx: InboxContext): Promise<void> {
    return this.startCase.handle(event, ctx);
  }
}
