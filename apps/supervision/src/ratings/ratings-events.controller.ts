import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller } from '@nestjs/common';
import { RatingsRepository } from './ratings.repository';

export const RATINGS_CONSUMER = 'supervision.ratings';

/** Which cases may be rated, and by whom: from intake's acceptance (the applicant) and approval's decision. */
@Controller()
export class RatingsEventsController {
  constructor(private readonly repo: RatingsRepository) {}

  @OnEvent('gov.intake.application.accepted', { group: RATINGS_CONSUMER })
  async accepted(event: EventOf<'gov.intake.application.accepted'>, ctx: InboxContext): Promise<void> {
    await this.repo.caseAccepted(ctx.manager, event.data.caseNumber, event.data.applicant.id, event.data.departmentCode);
  }

  @OnEvent('gov.approval.case.decided', { group: RATINGS_CONSUMER })
  async decided(event: EventOf<'gov.approval.case.decided'>, ctx: InboxContext): Promise<void> {
    await this.repo.caseDecided(ctx.manager, event.data.caseNumber, new Date(event.data.decidedAt));
  }
}
