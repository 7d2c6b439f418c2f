import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ServiceMessaging } from '@gov/messaging';
import { HealthRegistry, LOGGER, Metrics } from '@gov/service-kit';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';

export { PLATFORM_AUDIT_GROUP } from './platform-audit.controller';

/**
 * Identity's messaging runtime: its one outbox relay (signed ledger anchors, its own events) runs always. The
 * platform-audit consumer is the inbox transport's (`SERVICE_TRANSPORTS`, see AuditModule; switched by
 * PLATFORM_AUDIT_CONSUMER), which Nest closes before these shutdown hooks run, so it stops before the relay drains.
 */
@Injectable()
export class PlatformAuditRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly messaging: ServiceMessaging;

  constructor(@Inject(IDENTITY_CONFIG) config: IdentityConfig, @Inject(LOGGER) logger: Logger, metrics: Metrics, health: HealthRegistry, ds: DataSource) {
    this.messaging = new ServiceMessaging({ service: 'identity', brokers: config.KAFKA_BROKERS, topicPrefix: config.KAFKA_TOPIC_PREFIX, logger, metrics, health, dataSource: ds });
    this.messaging.addRelay('identity');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.messaging.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messaging.stop();
  }
}
