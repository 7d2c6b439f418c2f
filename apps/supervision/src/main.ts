import 'reflect-metadata';
import { serviceMain } from '@gov/service-kit';
import { SupervisionModule } from './app.module';
import { loadSupervisionConfig } from './config';
import { SUPERVISION_MIGRATIONS } from './migrations';

serviceMain({
  service: 'supervision',
  description: 'E-supervision (电子监察): step deadlines, lights and the alert ledger',
  loadConfig: loadSupervisionConfig,
  database: (c) => c.SUPERVISION_DB,
  migrations: SUPERVISION_MIGRATIONS,
  module: (c, logger) => SupervisionModule.forRoot(c, logger),
  port: (c) => c.SUPERVISION_PORT,
  host: (c) => c.SUPERVISION_HOST,
});
