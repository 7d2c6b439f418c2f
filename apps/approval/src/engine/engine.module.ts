import { ServiceMessaging } from '@gov/messaging';
import { HealthRegistry, LOGGER, Metrics, pgConnection } from '@gov/service-kit';
import { CamundaClient, WorkerHost } from '@gov/workflow';
import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';

/** The engine's readiness check, the relay of its step-event outbox, and the external-task workers' lifecycle. */
@Injectable()
class EngineRuntime implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(APPROVAL_CONFIG) private readonly config: ApprovalConfig,
    private readonly engine: CamundaClient,
    private readonly workers: WorkerHost,
    private readonly messaging: ServiceMessaging,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register('engine', async () => {
      await this.engine.version();
    });
    if (this.config.ENGINE_OUTBOX_RELAY) {
      this.messaging.addRelay('engine', pgConnection(this.config, this.config.ENGINE_DB, this.config.ENGINE_DB_USER, this.config.ENGINE_DB_PASSWORD));
    }
  }

  onApplicationBootstrap(): void {
    if (this.config.WORKERS_ENABLED) this.workers.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.workers.stop();
  }
}

/** The process engine: the REST client, the external-task worker host, and the engine outbox relay. */
@Global()
@Module({})
export class EngineModule {
  static forRoot(config: ApprovalConfig): DynamicModule {
    return {
      module: EngineModule,
      providers: [
        { provide: CamundaClient, useValue: new CamundaClient({ baseUrl: config.ENGINE_URL, username: config.ENGINE_REST_USER, password: config.ENGINE_REST_PASSWORD }) },
        {
          provide: WorkerHost,
          inject: [LOGGER, Metrics],
          useFactory: (logger: Logger, metrics: Metrics) => {
            const outcomes = metrics.counter('external_tasks_total', 'External tasks handled', ['topic', 'outcome']);
            return new WorkerHost({
              baseUrl: config.ENGINE_URL,
              username: config.ENGINE_REST_USER,
              password: config.ENGINE_REST_PASSWORD,
              workerId: config.WORKER_ID,
              maxTasks: config.WORKER_MAX_TASKS,
              asyncResponseTimeoutMs: config.WORKER_LONG_POLL_MS,
              logger,
              onOutcome: (topic, outcome) => outcomes.inc({ topic, outcome }),
            });
          },
        },
        EngineRuntime,
      ],
      exports: [CamundaClient, WorkerHost],
    };
  }
}
