import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller } from '@nestjs/common';
import { START_CASE_CONSUMER } from '../cases/start-case.controller';
import { EndCaseHandler } from './end-case.handler';

/**
 * Withdrawals and broken 容缺 commitments from `intake.application.v1`. Served in the start-case group, so one case's
 * acceptance and its ending are handled in the order intake published them (one partition per case number).
 */
@Controller()
export class EndCaseConsumer {
  constructor(private readonly endCase: EndCaseHandler) {}

  @OnEvent('gov.intake.application.withdrawn', { group: START_CASE_CONSUMER })
  async withdrawn(event: EventOf<'gov.intake.application.withdrawn'>, ctx: InboxContext): Promise<void> {
    if (!event.data.wasAccepted) return;
    await this.endCase.handle({ caseNumber: event.data.caseNumber, outcome: 'withdrawn', reason: event.data.reason }, event, ctx);
  }

  @OnEvent('gov.intake.application.terminated', { group: START_CASE_CONSUMER })
  terminated(event: EventOf<'gov.intake.application.terminated'>, ctx: InboxContext): Promise<void> {
    return this.endCase.handle({ caseNumber: event.data.caseNumber, outcome: 'terminated', reason: event.data.reason }, event, ctx);
  }
}
