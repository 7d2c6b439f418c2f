import { type CloudEvent, type StepEvent, TOPICS } from '@gov/contracts';
import { AuthModule } from '@gov/auth';
import { ServiceMessaging } from '@gov/messaging';
import { CamundaClient } from '@gov/workflow';
import { HealthRegistry, LOGGER, Metrics, ServiceKitModule, dataSourceOptions } from '@gov/service-kit';
import { type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ALERTS_ANCHORING } from './alerts/alerts-anchoring';
import { AlertsRepository } from './alerts/alerts.repository';
import { LightMonitor } from './alerts/light-monitor.service';
import { SupervisionController } from './alerts/supervision.controller';
import { AdjustableClock, Clock } from './clock/clock';
import { ClockController } from './clock/clock.controller';
import { SUPERVISION_CONFIG, type SupervisionConfig } from './config';
import { CalendarProvider } from './steps/calendar.provider';
import { StepEventsHandler } from './steps/step-events.handler';
import { StepsRepository } from './steps/steps.repository';

@Injectable()
export class SupervisionRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly messaging: ServiceMessaging;

  constructor(
    @Inject(SUPERVISION_CONFIG) config: SupervisionConfig,
    @Inject(LOGGER) logger: Logger,
    metrics: Metrics,
    health: HealthRegistry,
    ds: DataSource,
    steps: StepEventsHandler,
    private readonly monitor: LightMonitor,
  ) {
    this.messaging = new ServiceMessaging({
      service: 'supervision',
      brokers: config.KAFKA_BROKERS,
      logger,
      metrics,
      health,
      dataSource: ds,
    });
    this.messaging.addRelay('supervision');
    this.messaging.addConsumer('supervision.steps', [TOPICS.approvalStep.name], {
      'gov.approval.step.opened': (e, m) => steps.opened(e as CloudEvent<StepEvent>, m),
      'gov.approval.step.completed': (e, m) => steps.closed(e as CloudEvent<StepEvent>, m, 'completed'),
      'gov.approval.step.cancelled': (e, m) => steps.closed(e as CloudEvent<StepEvent>, m, 'cancelled'),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.messaging.start();
    this.monitor.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.monitor.stop();
    await this.messaging.stop();
  }
}

@Module({})
export class SupervisionModule {
  static forRoot(config: SupervisionConfig, logger: Logger, clock: Clock = new AdjustableClock()): DynamicModule {
    return {
      module: SupervisionModule,
      imports: [
        ServiceKitModule.forRoot({ service: 'supervision', logger }),
        AuthModule.forService(config, logger),
        TypeOrmModule.forRoot(dataSourceOptions(config, config.SUPERVISION_DB, { entities: [] })),
      ],
      controllers: [SupervisionController, ClockController],
      providers: [
        { provide: SUPERVISION_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: CamundaClient, useValue: new CamundaClient({ baseUrl: config.ENGINE_URL, username: config.ENGINE_REST_USER, password: config.ENGINE_REST_PASSWORD }) },
        StepsRepository,
        AlertsRepository,
        ...ALERTS_ANCHORING,
        CalendarProvider,
        StepEventsHandler,
        LightMonitor,
        SupervisionRuntime,
      ],
      exports: [LightMonitor],
    };
  }
}
