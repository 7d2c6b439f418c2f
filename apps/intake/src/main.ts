import 'reflect-metadata';
import { serviceMain } from '@gov/service-kit';
import { IntakeModule } from './app.module';
import { loadIntakeConfig } from './config';
import { INTAKE_MIGRATIONS } from './migrations';

serviceMain({
  service: 'intake',
  description: 'Intake (受理): matter catalogue and applications',
  loadConfig: loadIntakeConfig,
  database: (c) => c.INTAKE_DB,
  migrations: INTAKE_MIGRATIONS,
  module: (c, logger) => IntakeModule.forRoot(c, logger),
  port: (c) => c.INTAKE_PORT,
  host: (c) => c.INTAKE_HOST,
});
