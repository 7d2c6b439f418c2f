import { AuthModule } from '@gov/auth';
import { ServiceMessaging } from '@gov/messaging';
import { HealthRegistry, LOGGER, Metrics, ServiceKitModule, dataSourceOptions } from '@gov/service-kit';
import { type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AcceptApplicationUseCase } from './applications/accept-application.use-case';
import { Application } from './applications/application.entity';
import { ApplicationsController } from './applications/applications.controller';
import { ApplicationsRepository } from './applications/applications.repository';
import { INTAKE_CONFIG, type IntakeConfig } from './config';
import { Matter } from './matters/matter.entity';
import { MattersController } from './matters/matters.controller';
import { MattersRepository } from './matters/matters.repository';

/** Publishes intake's outbox; intake consumes nothing yet. */
@Injectable()
export class IntakeEvents implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly messaging: ServiceMessaging;

  constructor(@Inject(INTAKE_CONFIG) config: IntakeConfig, @Inject(LOGGER) logger: Logger, metrics: Metrics, health: HealthRegistry, ds: DataSource) {
    this.messaging = new ServiceMessaging({
      service: 'intake',
      brokers: config.KAFKA_BROKERS,
      logger,
      metrics,
      health,
      dataSource: ds,
    });
    this.messaging.addRelay('intake');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.messaging.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messaging.stop();
  }
}

@Module({})
export class IntakeModule {
  static forRoot(config: IntakeConfig, logger: Logger): DynamicModule {
    return {
      module: IntakeModule,
      imports: [
        ServiceKitModule.forRoot({ service: 'intake', logger }),
        AuthModule.forService(config, logger),
        TypeOrmModule.forRoot(dataSourceOptions(config, config.INTAKE_DB, { entities: [Matter, Application] })),
      ],
      controllers: [MattersController, ApplicationsController],
      providers: [{ provide: INTAKE_CONFIG, useValue: config }, MattersRepository, ApplicationsRepository, AcceptApplicationUseCase, IntakeEvents],
    };
  }
}
