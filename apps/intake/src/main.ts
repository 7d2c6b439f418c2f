import 'reflect-metadata';
import { createLogger, runMain, runMigrations, startService } from '@gov/service-kit';
import type { Logger } from 'pino';
import { IntakeModule } from './app.module';
import { loadIntakeConfig } from './config';
import { INTAKE_MIGRATIONS } from './migrations';

let logger: Logger | undefined;
runMain(
  'intake',
  async () => {
    const { values: config, redacted } = loadIntakeConfig();
    logger = createLogger('intake', config.LOG_LEVEL);
    logger.info({ config: redacted }, 'configuration loaded');
    await runMigrations(config, config.INTAKE_DB, INTAKE_MIGRATIONS, logger);
    await startService({
      service: 'intake',
      description: 'Intake (受理): matter catalogue and applications',
      module: IntakeModule.forRoot(config, logger),
      port: config.INTAKE_PORT,
      host: config.INTAKE_HOST,
      logger,
      shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    });
  },
  () => logger,
);
