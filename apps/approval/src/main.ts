import 'reflect-metadata';
import { createLogger, runMain, runMigrations, startService } from '@gov/service-kit';
import type { Logger } from 'pino';
import { ApprovalModule } from './app.module';
import { loadApprovalConfig } from './config';
import { APPROVAL_MIGRATIONS } from './migrations';

let logger: Logger | undefined;
runMain(
  'approval',
  async () => {
    const { values: config, redacted } = loadApprovalConfig();
    logger = createLogger('approval', config.LOG_LEVEL);
    logger.info({ config: redacted }, 'configuration loaded');
    await runMigrations(config, config.APPROVAL_DB, APPROVAL_MIGRATIONS, logger);
    await startService({
      service: 'approval',
      description: 'Approval (审批): cases on the engine, worklists, opinions, decisions',
      module: ApprovalModule.forRoot(config, logger),
      port: config.APPROVAL_PORT,
      host: config.APPROVAL_HOST,
      logger,
      shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    });
  },
  () => logger,
);
