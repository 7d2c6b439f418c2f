import 'reflect-metadata';
import { serviceMain } from '@gov/service-kit';
import { ApprovalModule } from './app.module';
import { loadApprovalConfig } from './config';
import { APPROVAL_MIGRATIONS } from './migrations';

serviceMain({
  service: 'approval',
  description: 'Approval (审批): cases on the engine, worklists, opinions, decisions',
  loadConfig: loadApprovalConfig,
  database: (c) => c.APPROVAL_DB,
  migrations: APPROVAL_MIGRATIONS,
  module: (c, logger) => ApprovalModule.forRoot(c, logger),
  port: (c) => c.APPROVAL_PORT,
  host: (c) => c.APPROVAL_HOST,
});
