import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type BusProducer, KafkaJsBus, OutboxRelay } from '@gov/messaging';
import { LOGGER, pgConnection } from '@gov/service-kit';
import type { Logger } from 'pino';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';

/**
 * Relays identity's outbox (the signed anchors, `platform.ledger-anchor.v1`) to Kafka. Started in the background so
 * identity serves logins even while Kafka is down; the anchors wait in the outbox meanwhile. When identity gets its
 * ServiceMessaging (platform audit consumer), that relay replaces this one.
 */
@Injectable()
export class AnchorsOutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly bus: KafkaJsBus;
  private readonly producer: BusProducer;
  private readonly relay: OutboxRelay;
  private started?: Promise<void>;

  constructor(@Inject(IDENTITY_CONFIG) config: IdentityConfig, @Inject(LOGGER) private readonly logger: Logger) {
    this.bus = new KafkaJsBus({ clientId: 'identity', brokers: config.KAFKA_BROKERS, logger });
    this.producer = this.bus.producer();
    this.relay = new OutboxRelay({ connection: pgConnection(config, config.IDENTITY_DB), producer: this.producer, logger: logger.child({ relay: 'identity' }) });
  }

  onApplicationBootstrap(): void {
    this.started = (async () => {
      await this.producer.connect();
      await this.relay.start();
    })().catch((e: unknown) => this.logger.error({ err: e }, 'identity outbox relay did not start; anchors stay in the outbox'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.started;
    await this.relay.stop().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
  }
}
