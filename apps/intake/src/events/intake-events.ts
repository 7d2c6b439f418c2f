import { InboxTransport, ServiceMessaging } from '@gov/messaging';
import { HealthRegistry, LOGGER, Metrics } from '@gov/service-kit';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';

/** Publishes intake's outbox (application, notice and notification events) and serves its consumers (progress, decision notifications). */
@Injectable()
export class IntakeEvents implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly messaging: ServiceMessaging;

  constructor(@Inject(INTAKE_CONFIG) private readonly config: IntakeConfig, @Inject(LOGGER) logger: Logger, metrics: Metrics, health: HealthRegistry, ds: DataSource) {
    this.messaging = new ServiceMessaging({ service: 'intake', brokers: config.KAFKA_BROKERS, topicPrefix: config.KAFKA_TOPIC_PREFIX, logger, metrics, health, dataSource: ds });
    if (config.INTAKE_RELAY_ENABLED) this.messaging.addRelay('intake');
  }

  transports(): InboxTransport[] {
    const c = this.config;
    return c.INTAKE_CONSUMERS ? [new InboxTransport({ messaging: this.messaging, groupPrefix: c.KAFKA_GROUP_PREFIX, fromBeginning: c.KAFKA_NEW_GROUP_FROM === 'earliest' })] : [];
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.messaging.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messaging.stop();
  }
}
