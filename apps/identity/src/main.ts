import 'reflect-metadata';
import { ConfigError, createLogger, runMigrations, startService } from '@gov/service-kit';
import { IdentityAppModule } from './app.module';
import { loadIdentityConfig } from './config';
import { IDENTITY_MIGRATIONS } from './migrations';

async function main(): Promise<void> {
  let loaded;
  try {
    loaded = loadIdentityConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const config = loaded.values;
  const logger = createLogger('identity', config.LOG_LEVEL);
  logger.info({ config: loaded.redacted }, 'configuration loaded');
  if (config.kekIsDevDefault) logger.warn('IDENTITY_KEK is not set: using the public development key-encryption key (refused in production)');
  await runMigrations(config, config.IDENTITY_DB, IDENTITY_MIGRATIONS, logger);
  await startService({
    service: 'identity',
    description: 'Organisations, users, login and tokens (JWKS), delegation, CA and electronic seals, audit',
    module: IdentityAppModule.forRoot(config, logger),
    port: config.IDENTITY_PORT,
    host: config.IDENTITY_HOST,
    logger,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`identity failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
