import { CamundaAdminClient } from '@gov/workflow';
import { Module } from '@nestjs/common';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import { JointReviewsRepository } from './joint-reviews.repository';
import { OpenStepsConsumer } from './open-steps.consumer';
import { OpenStepsProjector, WORKLIST_ENGINE } from './open-steps.projector';
import { OpenStepsRepository } from './open-steps.repository';
import { OpenStepsTap } from './open-steps.tap';
import { StepAccess } from './step-access';
import { WorklistController } from './worklist.controller';

/** The worklist of open steps (the `open_steps` read model, its consumer and reconciliation) and claiming one. */
@Module({
  controllers: [WorklistController, OpenStepsConsumer],
  providers: [
    StepAccess,
    OpenStepsRepository,
    JointReviewsRepository,
    OpenStepsProjector,
    OpenStepsTap,
    {
      provide: WORKLIST_ENGINE,
      inject: [APPROVAL_CONFIG],
      useFactory: (config: ApprovalConfig) => new CamundaAdminClient({ baseUrl: config.ENGINE_URL, username: config.ENGINE_REST_USER, password: config.ENGINE_REST_PASSWORD }),
    },
  ],
  exports: [StepAccess, OpenStepsRepository, OpenStepsProjector, JointReviewsRepository, WORKLIST_ENGINE],
})
export class WorklistModule {}
