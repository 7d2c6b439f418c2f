import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller } from '@nestjs/common';
import { OpenStepsProjector } from './open-steps.projector';

/** The inbox consumer group of the worklist read model (also the inbox's consumer name: keep it stable). */
export const WORKLIST_CONSUMER = 'approval.worklist';

/**
 * The step events approval relays (`approval.step.v1`, keyed by case number, so one case's openings, closings,
 * suspensions and resumptions arrive in order), applied to `open_steps` in the inbox transaction (once per event).
 */
@Controller()
export class OpenStepsConsumer {
  constructor(private readonly projector: OpenStepsProjector) {}

  @OnEvent('gov.approval.step.opened', { group: WORKLIST_CONSUMER })
  opened(event: EventOf<'gov.approval.step.opened'>, ctx: InboxContext): Promise<void> {
    return this.projector.opened(ctx.manager, event.data);
  }

  @OnEvent('gov.approval.step.completed', { group: WORKLIST_CONSUMER })
  completed(event: EventOf<'gov.approval.step.completed'>, ctx: InboxContext): Promise<void> {
    return this.projector.closed(ctx.manager, event.data);
  }

  @OnEvent('gov.approval.step.cancelled', { group: WORKLIST_CONSUMER })
  cancelled(event: EventOf<'gov.approval.step.cancelled'>, ctx: InboxContext): Promise<void> {
    return this.projector.closed(ctx.manager, event.data);
  }

  @OnEvent('gov.approval.step.suspended', { group: WORKLIST_CONSUMER })
  suspended(event: EventOf<'gov.approval.step.suspended'>, ctx: InboxContext): Promise<void> {
    return this.projector.suspended(ctx.manager, event.data);
  }

  @OnEvent('gov.approval.step.resumed', { group: WORKLIST_CONSUMER })
  resumed(event: EventOf<'gov.approval.step.resumed'>, ctx: InboxContext): Promise<void> {
    return this.projector.resumed(ctx.manager, event.data);
  }
}
