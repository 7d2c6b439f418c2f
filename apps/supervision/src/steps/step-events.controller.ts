import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller } from '@nestjs/common';
import { StepEventsService } from './step-events.service';

/** The inbox consumer group of step events (its name is also the inbox's consumer name: keep it stable). */
export const STEPS_CONSUMER = 'supervision.steps';

/** Step events from `approval.step.v1`, served by the inbox transport: each effect commits with its inbox row. */
@Controller()
export class StepEventsController {
  constructor(private readonly steps: StepEventsService) {}

  @OnEvent('gov.approval.step.opened', { group: STEPS_CONSUMER })
  opened(event: EventOf<'gov.approval.step.opened'>, ctx: InboxContext): Promise<void> {
    return this.steps.opened(event, ctx.manager);
  }

  @OnEvent('gov.approval.step.completed', { group: STEPS_CONSUMER })
  completed(event: EventOf<'gov.approval.step.completed'>, ctx: InboxContext): Promise<void> {
    return this.steps.closed(event, ctx.manager);
  }

  @OnEvent('gov.approval.step.cancelled', { group: STEPS_CONSUMER })
  cancelled(event: EventOf<'gov.approval.step.cancelled'>, ctx: InboxContext): Promise<void> {
    return this.steps.closed(event, ctx.manager);
  }
}
