import { CamundaAdminClient } from '@gov/workflow';
import { Module } from '@nestjs/common';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import { FlowPipelineController, FlowPipelineLedgerController } from './flow-pipeline.controller';
import { FlowPipelineRepository } from './flow-pipeline.repository';
import { FLOW_ENGINE, FlowPipelineService } from './flow-pipeline.service';

/** The analysts' deploy pipeline (checks, review and filing, deployment, migration). */
@Module({
  controllers: [FlowPipelineController, FlowPipelineLedgerController],
  providers: [
    FlowPipelineRepository,
    FlowPipelineService,
    {
      provide: FLOW_ENGINE,
      inject: [APPROVAL_CONFIG],
      // The pipeline alone deploys: its own engine user when configured (lock-down, issue 9 §4).
      useFactory: (config: ApprovalConfig) =>
        new CamundaAdminClient(
          config.ENGINE_DEPLOY_USER
            ? { baseUrl: config.ENGINE_URL, username: config.ENGINE_DEPLOY_USER, password: config.ENGINE_DEPLOY_PASSWORD }
            : { baseUrl: config.ENGINE_URL, username: config.ENGINE_REST_USER, password: config.ENGINE_REST_PASSWORD },
        ),
    },
  ],
})
export class DeploymentsModule {}
