import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { HealthController } from './health/health.controller';
import { HealthRegistry } from './health/health.registry';
import { Metrics, MetricsController } from './metrics/metrics';

export const LOGGER = Symbol('LOGGER');
export const SERVICE_NAME = Symbol('SERVICE_NAME');

/** Health, readiness, metrics and the shared logger for one service. Import once in the service's root module. */
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
        { provide: LOGGER, useValue: options.logger },
        { provide: SERVICE_NAME, useValue: options.service },
      ],
      exports: [HealthRegistry, Metrics, LOGGER, SERVICE_NAME],
    };
  }
}
