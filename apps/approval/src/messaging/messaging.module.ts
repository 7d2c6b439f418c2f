import { ServiceMessaging } from '@gov/messaging';
import { HealthRegistry, LOGGER, Metrics } from '@gov/service-kit';
import { type DynamicModule, Global, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { ApprovalConfig } from '../config';

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

/** Approval's outbox relay, inbox consumers and producer (ServiceMessaging), shared by the feature modules. */
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
            new ServiceMessaging({ service: 'approval', brokers: config.KAFKA_BROKERS, logger, metrics, health, dataSource: ds }),
        },
        MessagingLifecycle,
      ],
      exports: [ServiceMessaging],
    };
  }
}
