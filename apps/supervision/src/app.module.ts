import { AuthModule } from '@gov/auth';
import { InboxTransport, ServiceMessaging } from '@gov/messaging';
import { HealthRegistry, LOGGER, Metrics, SERVICE_TRANSPORTS, ServiceKitModule, dataSourceOptions } from '@gov/service-kit';
import { CamundaClient } from '@gov/workflow';
import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AlertsModule } from './alerts/alerts.module';
import { CaseLightMonitor } from './alerts/case-light-monitor.service';
import { LightMonitor } from './alerts/light-monitor.service';
import { AdjustableClock, Clock } from './clock/clock';
import { ClockModule } from './clock/clock.module';
import { ComplaintEscalations } from './complaints/complaint-escalations.service';
import { SUPERVISION_CONFIG, type SupervisionConfig } from './config';
import { SUPERVISION_ENTITIES } from './entities';
import { CalendarAdminModule } from './calendar/calendar-admin.module';
import { CalendarModule } from './calendar/calendar.module';
import { CasesModule } from './cases/cases.module';
import { ConsultationsModule } from './consultations/consultations.module';
import { IncidentsModule } from './incidents/incidents.module';
import { OrdersModule } from './orders/orders.module';
import { OrdersService } from './orders/orders.service';
import { RulesModule } from './rules/rules.module';
import { SeedModule } from './seed/seed.module';
import { RulesService } from './rules/rules.service';
import { StepsModule } from './steps/steps.module';
import { AlertStreamRepository } from './stream/alert-stream.repository';
import { DeadLetterWatcher } from './stream/dead-letter-watcher.service';
import { PlatformDeadLetterAlerts } from './stream/platform-dead-letters';
import { StreamModule } from './stream/stream.module';
import { TalliesModule } from './tallies/tallies.module';
import { SUPSTATS_MODULES } from './supstats.modules';

/** The configuration and the engine client, for every feature module. */
@Global()
@Module({})
class SupervisionCoreModule {
  static forRoot(config: SupervisionConfig): DynamicModule {
    return {
      module: SupervisionCoreModule,
      providers: [
        { provide: SUPERVISION_CONFIG, useValue: config },
        { provide: CamundaClient, useValue: new CamundaClient({ baseUrl: config.ENGINE_URL, username: config.ENGINE_REST_USER, password: config.ENGINE_REST_PASSWORD }) },
      ],
      exports: [SUPERVISION_CONFIG, CamundaClient],
    };
  }
}

/**
 * Supervision's moving parts: the outbox relay (alerts) and the light monitor, started after the HTTP app is ready
 * and stopped in reverse. The step-event consumers are the inbox transport's (`SERVICE_TRANSPORTS`), which Nest
 * closes before these shutdown hooks run, so consumers stop before the relay drains.
 */
@Injectable()
export class SupervisionRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly messaging: ServiceMessaging;
  readonly platformDeadLetters?: PlatformDeadLetterAlerts;

  constructor(
    @Inject(SUPERVISION_CONFIG) config: SupervisionConfig,
    @Inject(LOGGER) logger: Logger,
    metrics: Metrics,
    health: HealthRegistry,
    ds: DataSource,
    private readonly monitor: LightMonitor,
    private readonly caseLights: CaseLightMonitor,
    private readonly rules: RulesService,
    private readonly complaintEscalations: ComplaintEscalations,
    private readonly orders: OrdersService,
    private readonly deadLetters: DeadLetterWatcher,
    stream: AlertStreamRepository,
    clock: Clock,
  ) {
    this.messaging = new ServiceMessaging({ service: 'supervision', brokers: config.KAFKA_BROKERS, topicPrefix: config.KAFKA_TOPIC_PREFIX, logger, metrics, health, dataSource: ds });
    this.messaging.addRelay('supervision');
    if (config.PLATFORM_DEAD_LETTER_ALERTS) {
      this.platformDeadLetters = new PlatformDeadLetterAlerts({
        messaging: this.messaging,
        groupPrefix: config.KAFKA_GROUP_PREFIX,
        fromBeginning: config.KAFKA_NEW_GROUP_FROM === 'earliest',
        ds,
        stream,
        clock,
        logger,
      });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.messaging.start();
    this.monitor.start([() => this.caseLights.scan(), () => this.rules.scanDeadlines(), () => this.complaintEscalations.scan(), () => this.orders.scan(), () => this.deadLetters.scan()]);
    await this.platformDeadLetters?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.platformDeadLetters?.stop();
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
        TypeOrmModule.forRoot(dataSourceOptions(config, config.SUPERVISION_DB, { entities: SUPERVISION_ENTITIES })),
        SupervisionCoreModule.forRoot(config),
        ClockModule.forRoot(clock),
        CalendarModule,
        StreamModule,
        StepsModule,
        RulesModule,
        CasesModule,
        CalendarAdminModule,
        TalliesModule,
        AlertsModule,
        OrdersModule,
        ConsultationsModule,
        IncidentsModule,
        SeedModule,
        ...SUPSTATS_MODULES,
      ],
      providers: [
        SupervisionRuntime,
        {
          provide: SERVICE_TRANSPORTS,
          inject: [SupervisionRuntime],
          useFactory: (runtime: SupervisionRuntime) => [new InboxTransport({ messaging: runtime.messaging, groupPrefix: config.KAFKA_GROUP_PREFIX, fromBeginning: config.KAFKA_NEW_GROUP_FROM === 'earliest' })],
        },
      ],
    };
  }
}
