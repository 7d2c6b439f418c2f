import 'reflect-metadata';
import { createLogger, runMain, runMigrations, startService } from '@gov/service-kit';
import type { Logger } from 'pino';
import { SupervisionModule } from './app.module';
import { loadSupervisionConfig } from './config';
import { SUPERVISION_MIGRATIONS } from './migrations';

let logger: Logger | undefined;
runMain(
  'supervision',
  async () => {
    const { values: config, redacted } = loadSupervisionConfig();
    logger = createLogger('supervision', config.LOG_LEVEL);
    logger.info({ config: redacted }, 'configuration loaded');
    await runMigrations(config, config.SUPERVISION_DB, SUPERVISION_MIGRATIONS, logger);
    await startService({
      service: 'supervision',
      description: 'E-supervision (电子监察): step deadlines, lights and the alert ledger',
      module: SupervisionModule.forRoot(config, logger),
      port: config.SUPERVISION_PORT,
      host: config.SUPERVISION_HOST,
      logger,
      shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    });
  },
  () => logger,
);
