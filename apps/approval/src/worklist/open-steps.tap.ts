import { EVENT_TYPES, type EventType } from '@gov/contracts';
import { type PublishedEvent, ServiceMessaging } from '@gov/messaging';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { OpenStepsProjector } from './open-steps.projector';
import { OpenStepsRepository } from './open-steps.repository';

/** The relay of the engine's outbox (EngineModule), where step openings and closings enter the platform. */
export const ENGINE_RELAY = 'engine';

const TAPPED = ['gov.approval.step.opened', 'gov.approval.step.completed', 'gov.approval.step.cancelled'] as const satisfies readonly EventType[];

/**
 * Applies the step openings and closings this approval relays from the engine to the worklist at once, as the relay
 * publishes them, instead of after their round trip through Kafka (the next officer sees a step tens of milliseconds
 * after the previous one was completed, not a consumer hop later). The Kafka delivery still comes and is applied
 * through the inbox (OpenStepsConsumer): both are idempotent (an opening is an upsert that keeps a claim already
 * recorded, a closing leaves a tombstone that a late opening cannot pass). Without the engine relay (tests, a replica
 * that does not relay) nothing is tapped.
 */
@Injectable()
export class OpenStepsTap implements OnApplicationBootstrap {
  constructor(
    private readonly messaging: ServiceMessaging,
    private readonly projector: OpenStepsProjector,
    private readonly steps: OpenStepsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.messaging.relay(ENGINE_RELAY)?.tap((events) => this.apply(events));
  }

  async apply(events: PublishedEvent[]): Promise<void> {
    for (const e of events) {
      const type = TAPPED.find((t) => t === e.type);
      if (!type) continue;
      const parsed = EVENT_TYPES[type].data.safeParse((e.payload as { data?: unknown } | null)?.data);
      if (!parsed.success) continue;
      const data = parsed.data;
      await this.steps.transaction((m) => (type === 'gov.approval.step.opened' ? this.projector.opened(m, data) : this.projector.closed(m, data)));
    }
  }
}
