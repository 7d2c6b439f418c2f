import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SecurityEventRecorded, TOPICS } from '@gov/contracts';
import { ServiceMessaging } from '@gov/messaging';
import { HealthRegistry, LOGGER, Metrics } from '@gov/service-kit';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { AuditService } from './audit.service';

/** The consumer group (and inbox name) of the platform audit trail. */
export const PLATFORM_AUDIT_GROUP = 'identity.platform-audit';

/**
 * Every service's security events (`platform.audit.v1`) are appended to identity's chained audit trail, each in
 * the transaction of its inbox row, so a redelivered event is appended once. Identity's own outbox is relayed
 * too (identity records its own events straight into the trail; the outbox is there for what it publishes).
 */
@Injectable()
export class PlatformAuditRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly messaging: ServiceMessaging;

  constructor(
    @Inject(IDENTITY_CONFIG) config: IdentityConfig,
    @Inject(LOGGER) logger: Logger,
    metrics: Metrics,
    health: HealthRegistry,
    ds: DataSource,
    audit: AuditService,
  ) {
    // Identity's one outbox relay (signed ledger anchors, its own events) runs always; the consumer is switchable.
    this.messaging = new ServiceMessaging({ service: 'identity', brokers: config.KAFKA_BROKERS, topicPrefix: config.KAFKA_TOPIC_PREFIX, logger, metrics, health, dataSource: ds });
    this.messaging.addRelay('identity');
    if (!config.PLATFORM_AUDIT_CONSUMER) return;
    this.messaging.addConsumer(`${config.KAFKA_GROUP_PREFIX}${PLATFORM_AUDIT_GROUP}`, [TOPICS.platformAudit.name], {
      'gov.platform.security.recorded': async (event, manager) => {
        await audit.appendSecurityEvents([SecurityEventRecorded.parse(event.data)], manager);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.messaging.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messaging.stop();
  }
}
