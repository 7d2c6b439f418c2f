import 'reflect-metadata';
import { type DynamicModule, type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { HealthRegistry } from './health/health.registry';
import { AllErrorsFilter } from './http/error.filter';
import { requestContextMiddleware } from './http/request-context.middleware';
import { NestPinoLogger } from './logging/logger';
import { Metrics } from './metrics/metrics';
import { connectServiceTransports } from './transports';

export interface BootstrapOptions {
  service: string;
  description: string;
  module: DynamicModule;
  port: number;
  host?: string;
  logger: Logger;
  shutdownGraceMs?: number;
}

/** Builds a service's HTTP application the same way everywhere: logs, errors, validation, OpenAPI at /docs-json. */
export async function createServiceApp(options: BootstrapOptions): Promise<INestApplication> {
  const app = await NestFactory.create(options.module, { logger: new NestPinoLogger(options.logger), bufferLogs: true });
  const metrics = app.get(Metrics);
  app.use(requestContextMiddleware(options.logger, metrics.httpDuration));
  app.useGlobalFilters(new AllErrorsFilter(options.logger));
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
  );
  const doc = new DocumentBuilder()
    .setTitle(options.service)
    .setDescription(options.description)
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'docs-json' });
  connectServiceTransports(app);
  return app;
}

/** Starts listening and wires graceful shutdown: readiness goes down first, then in-flight work drains. */
export async function startService(options: BootstrapOptions): Promise<INestApplication> {
  const app = await createServiceApp(options);
  await app.listen(options.port, options.host ?? '127.0.0.1');
  // Event consumers (SERVICE_TRANSPORTS) start once the app is initialised and its producer connected.
  await app.startAllMicroservices();
  options.logger.info({ port: options.port }, `${options.service} listening`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.logger.info({ signal }, 'shutting down');
    app.get(HealthRegistry).markDraining();
    const hardStop = setTimeout(() => process.exit(1), options.shutdownGraceMs ?? 10_000);
    hardStop.unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        options.logger.error({ err: e }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return app;
}
