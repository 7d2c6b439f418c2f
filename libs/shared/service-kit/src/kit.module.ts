import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { IdempotencyPruner } from './database/idempotency-pruner';
import { HealthController } from './health/health.controller';
import { HealthRegistry } from './health/health.registry';
import { LOGGER, SERVICE_NAME } from './kit.tokens';
import { Metrics, MetricsController } from './metrics/metrics';

export { LOGGER, SERVICE_NAME } from './kit.tokens';

/** Health, readiness, metrics, the idempotency-key pruner and the shared logger for one service. Import once in the service's root module. */
@Global()
@Module({})
export class ServiceKitModule {
  static forRoot(options: { service: string; logger: Logger }): DynamicModule {
    return {
      module: ServiceKitModule,
      controllers: [HealthController, MetricsController],
      providers: [
        HealthRegistry,
        Metrics,
        IdempotencyPruner,
        { provide: LOGGER, useValue: options.logger },
        { provide: SERVICE_NAME, useValue: options.service },
      ],
      exports: [HealthRegistry, Metrics, LOGGER, SERVICE_NAME],
    };
  }
}
