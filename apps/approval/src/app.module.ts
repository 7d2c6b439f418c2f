import { AuthModule } from '@gov/auth';
import { InboxTransport, ServiceMessaging } from '@gov/messaging';
import { HealthRegistry, LOGGER, Metrics, SERVICE_TRANSPORTS, ServiceKitModule, dataSourceOptions, pgConnection } from '@gov/service-kit';
import { CamundaClient, WorkerHost } from '@gov/workflow';
import { type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Case } from './cases/case.entity';
import { CasesRepository } from './cases/cases.repository';
import { StartCaseConsumer } from './cases/start-case.controller';
import { StartCaseHandler } from './cases/start-case.handler';
import { APPROVAL_CONFIG, type ApprovalConfig } from './config';
import { IssueDecisionWorker } from './decisions/issue-decision.worker';
import { CompleteStepUseCase } from './worklist/complete-step.use-case';
import { OpinionsRepository } from './worklist/opinions.repository';
import { WorklistController } from './worklist/worklist.controller';

/**
 * Approval's moving parts: its own outbox relay, the relay of the engine's step-event outbox and the external-task
 * workers. Started after the HTTP app is ready; stopped in reverse. The consumer that starts cases is
 * `StartCaseConsumer`, served by the inbox transport (SERVICE_TRANSPORTS), which stops before these.
 */
@Injectable()
export class ApprovalRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly messaging: ServiceMessaging;
  readonly workers: WorkerHost;

  constructor(
    @Inject(APPROVAL_CONFIG) config: ApprovalConfig,
    @Inject(LOGGER) logger: Logger,
    metrics: Metrics,
    health: HealthRegistry,
    ds: DataSource,
    engine: CamundaClient,
    issueDecision: IssueDecisionWorker,
  ) {
    health.register('engine', async () => {
      await engine.version();
    });
    this.messaging = new ServiceMessaging({
      service: 'approval',
      brokers: config.KAFKA_BROKERS,
      logger,
      metrics,
      health,
      dataSource: ds,
    });
    this.messaging.addRelay('approval');
    this.messaging.addRelay('engine', pgConnection(config, config.ENGINE_DB, config.ENGINE_DB_USER, config.ENGINE_DB_PASSWORD));
    const outcomes = metrics.counter('external_tasks_total', 'External tasks handled', ['topic', 'outcome']);
    this.workers = new WorkerHost({
      baseUrl: config.ENGINE_URL,
      username: config.ENGINE_REST_USER,
      password: config.ENGINE_REST_PASSWORD,
      workerId: config.WORKER_ID,
      maxTasks: config.WORKER_MAX_TASKS,
      logger,
      onOutcome: (topic, outcome) => outcomes.inc({ topic, outcome }),
    });
    this.workers.register({ topic: issueDecision.topic, handler: (task) => issueDecision.handle(task) });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.messaging.start();
    this.workers.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.workers.stop();
    await this.messaging.stop();
  }
}

@Module({})
export class ApprovalModule {
  static forRoot(config: ApprovalConfig, logger: Logger): DynamicModule {
    return {
      module: ApprovalModule,
      imports: [
        ServiceKitModule.forRoot({ service: 'approval', logger }),
        AuthModule.forService(config, logger),
        TypeOrmModule.forRoot(dataSourceOptions(config, config.APPROVAL_DB, { entities: [Case] })),
      ],
      controllers: [WorklistController, StartCaseConsumer],
      providers: [
        { provide: APPROVAL_CONFIG, useValue: config },
        { provide: CamundaClient, useValue: new CamundaClient({ baseUrl: config.ENGINE_URL, username: config.ENGINE_REST_USER, password: config.ENGINE_REST_PASSWORD }) },
        CasesRepository,
        OpinionsRepository,
        StartCaseHandler,
        CompleteStepUseCase,
        IssueDecisionWorker,
        ApprovalRuntime,
        {
          provide: SERVICE_TRANSPORTS,
          inject: [ApprovalRuntime],
          useFactory: (runtime: ApprovalRuntime) => [new InboxTransport({ messaging: runtime.messaging, groupPrefix: config.KAFKA_GROUP_PREFIX, fromBeginning: config.KAFKA_NEW_GROUP_FROM === 'earliest' })],
        },
      ],
    };
  }
}
