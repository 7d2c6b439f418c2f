import { InboxTransport, ServiceMessaging } from '@gov/messaging';
import { HealthRegistry, LOGGER, Metrics, SERVICE_TRANSPORTS } from '@gov/service-kit';
import { type DynamicModule, Global, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { ApprovalConfig } from '../config';
import { WORKLIST_CONSUMER } from '../worklist/open-steps.consumer';

/** Starts approval's messaging once every module has added its relays and consumers; stops it last. */
@Injectable()
class MessagingLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly messaging: ServiceMessaging) {}

  onModuleInit(): void {
    this.messaging.addRelay('approval');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.messaging.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messaging.stop();
  }
}

/** Approval's outbox relay, producer and inbox transport (ServiceMessaging), shared by the feature modules. */
@Global()
@Module({})
export class ApprovalMessagingModule {
  static forRoot(config: ApprovalConfig): DynamicModule {
    return {
      module: ApprovalMessagingModule,
      providers: [
        {
          provide: ServiceMessaging,
          inject: [LOGGER, Metrics, HealthRegistry, DataSource],
          useFactory: (logger: Logger, metrics: Metrics, health: HealthRegistry, ds: DataSource) =>
            new ServiceMessaging({ service: 'approval', brokers: config.KAFKA_BROKERS, topicPrefix: config.KAFKA_TOPIC_PREFIX, logger, metrics, health, dataSource: ds }),
        },
        MessagingLifecycle,
        {
          // The @OnEvent consumers (cases/start-case.controller.ts, worklist/open-steps.consumer.ts), served by the
          // inbox transport. KAFKA_CONSUMERS off (tests sharing the stack's topics) stops the ones that take work;
          // WORKLIST_CONSUMER decides the worklist read model's, which only feeds this service's own database.
          provide: SERVICE_TRANSPORTS,
          inject: [ServiceMessaging],
          useFactory: (messaging: ServiceMessaging) =>
            config.KAFKA_CONSUMERS || config.WORKLIST_CONSUMER
              ? [
                  new InboxTransport({
                    messaging,
                    groupPrefix: config.KAFKA_GROUP_PREFIX,
                    fromBeginning: config.KAFKA_NEW_GROUP_FROM === 'earliest',
                    consumes: (group) => (group === WORKLIST_CONSUMER ? config.WORKLIST_CONSUMER : config.KAFKA_CONSUMERS),
                  }),
                ]
              : [],
        },
      ],
      exports: [ServiceMessaging],
    };
  }
}
