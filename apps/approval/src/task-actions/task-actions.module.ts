import { CamundaAdminClient } from '@gov/workflow';
import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import { WorklistModule } from '../worklist/worklist.module';
import { CaseActionsRepository } from './case-actions.repository';
import { OfficerDirectory } from './officer-directory';
import { CaseActionsLedgerController, SuspensionsController, TaskActionsController } from './task-actions.controller';
import { TASK_ENGINE, TaskActionsService } from './task-actions.service';

/** The officers' task actions: unclaim, return, take-back, transfer, clock suspension; recorded in the case-actions ledger. */
@Module({
  imports: [CasesModule, WorklistModule],
  controllers: [TaskActionsController, SuspensionsController, CaseActionsLedgerController],
  providers: [
    CaseActionsRepository,
    OfficerDirectory,
    TaskActionsService,
    {
      // The engine's modification and message APIs (the everyday CamundaClient has neither).
      provide: TASK_ENGINE,
      inject: [APPROVAL_CONFIG],
      useFactory: (config: ApprovalConfig) => new CamundaAdminClient({ baseUrl: config.ENGINE_URL, username: config.ENGINE_REST_USER, password: config.ENGINE_REST_PASSWORD }),
    },
  ],
  exports: [CaseActionsRepository],
})
export class TaskActionsModule {}
