import 'reflect-metadata';
import { type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { edgeSettings } from './config/config';
import { configureIdempotency } from './database/idempotency';
import { IdempotencyPruner } from './database/idempotency-pruner';
import { HealthRegistry } from './health/health.registry';
import { startIdleGc } from './idle-gc';
import { EdgeGuard } from './http/edge.guard';
import { AllErrorsFilter } from './http/error.filter';
import { jsonBodyMiddleware } from './http/json-body';
import { requestContextMiddleware } from './http/request-context.middleware';
import { metricsGuardMiddleware, securityHeadersMiddleware } from './http/security-headers';
import { kitValidationPipe } from './http/validation';
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
  /**
   * The service's loaded configuration (its schema spreads `baseConfigShape`): body limits, docs, metrics token,
   * idempotency TTL. Without it the edge reads those keys from the environment.
   */
  config?: object;
}

/**
 * Builds a service's HTTP application the same way everywhere, so that no controller can forget any of it:
 * - security headers on every response (helmet; no X-Powered-By), /metrics behind METRICS_TOKEN;
 * - the kit's JSON body parser (size and nesting-depth limits before parsing, identity Content-Encoding only,
 *   well-formed Unicode in every string and key), in place of Nest's;
 * - the edge guard (NUL and lone surrogates in path parameters and queries; 415 for a body that is not JSON);
 * - validation with every failing field listed, and one error shape (database input errors as 4xx);
 * - OpenAPI at /docs and /docs-json where API_DOCS_ENABLED allows it;
 * - the idempotency-key TTL and pruner.
 */
export async function createServiceApp(options: BootstrapOptions): Promise<INestApplication> {
  const settings = edgeSettings(options.config);
  const app = await NestFactory.create<NestExpressApplication>(options.module, {
    logger: new NestPinoLogger(options.logger),
    bufferLogs: true,
    bodyParser: false,
    // Start-up errors (a failed module, an optional provider looked up) are thrown to the caller, which reports them
    // and exits; Nest's default would call process.exit(1) itself, even inside a test harness.
    abortOnError: false,
  });
  app.disable('x-powered-by');
  const metrics = app.get(Metrics);
  app.use(requestContextMiddleware(options.logger, metrics.httpDuration));
  app.use(securityHeadersMiddleware());
  app.use(metricsGuardMiddleware(settings));
  app.use(jsonBodyMiddleware({ maxBytes: settings.bodyLimitBytes, maxDepth: settings.bodyMaxDepth }));
  app.useGlobalFilters(new AllErrorsFilter(options.logger));
  app.useGlobalGuards(new EdgeGuard(app.get(Reflector)));
  app.useGlobalPipes(kitValidationPipe());
  configureIdempotency({ ttlSeconds: settings.idempotencyTtlSeconds });
  app.get(IdempotencyPruner).configure({ ttlSeconds: settings.idempotencyTtlSeconds, intervalSeconds: settings.idempotencyPruneIntervalSeconds });
  // Event consumers are connected whether or not the docs are served (they were skipped with the docs off).
  connectServiceTransports(app);
  if (!settings.docsEnabled) return app;
  const doc = new DocumentBuilder()
    .setTitle(options.service)
    .setDescription(options.description)
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** Starts listening and wires graceful shutdown: readiness goes down first, then in-flight work drains. */
export async function startService(options: BootstrapOptions): Promise<INestApplication> {
  const app = await createServiceApp(options);
  // One full collection once a burst is over (node --expose-gc; see startIdleGc).
  const idleGc = startIdleGc(options.logger);
  if (idleGc) {
    app.use((_req: unknown, _res: unknown, next: () => void) => {
      idleGc.touch();
      next();
    });
  }
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
