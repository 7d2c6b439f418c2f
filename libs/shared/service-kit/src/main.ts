import type { DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { startService } from './bootstrap';
import { ConfigError, type LoadedConfig } from './config/config';
import type { DatabaseSettings } from './database/database';
import { runMigrations } from './database/database';
import { createLogger } from './logging/logger';

export interface ServiceMainOptions<C extends DatabaseSettings & { LOG_LEVEL: string; SHUTDOWN_GRACE_MS: number }> {
  service: string;
  description: string;
  loadConfig: () => LoadedConfig<C>;
  database: (config: C) => string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  module: (config: C, logger: Logger) => DynamicModule;
  port: (config: C) => number;
  host: (config: C) => string;
  /** Runs after the configuration is loaded and before migrations (warnings about dev defaults, etc.). */
  beforeStart?: (config: C, logger: Logger) => void;
}

/**
 * The start-up every service shares: validated configuration (a bad one prints what to fix and exits 78,
 * EX_CONFIG), a structured logger, migrations as the owner role, then the HTTP app with graceful shutdown.
 */
export function serviceMain<C extends DatabaseSettings & { LOG_LEVEL: string; SHUTDOWN_GRACE_MS: number }>(options: ServiceMainOptions<C>): void {
  let logger: Logger | undefined;
  const start = async () => {
    const loaded = options.loadConfig();
    const config = loaded.values;
    logger = createLogger(options.service, config.LOG_LEVEL);
    logger.info({ config: loaded.redacted }, 'configuration loaded');
    options.beforeStart?.(config, logger);
    await runMigrations(config, options.database(config), options.migrations, logger);
    await startService({
      service: options.service,
      description: options.description,
      module: options.module(config, logger),
      port: options.port(config),
      host: options.host(config),
      logger,
      shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
      config,
    });
  };
  start().catch((e: unknown) => {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78);
    }
    if (logger) logger.fatal({ err: e }, `${options.service} failed to start`);
    else process.stderr.write(`${options.service} failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
