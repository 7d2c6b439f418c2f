import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { FeesModule } from '../fees/fees.module';
import { OpinionsModule } from '../opinions/opinions.module';
import { SigningModule } from '../signing/signing.module';
import { WorklistModule } from '../worklist/worklist.module';
import { CompleteStepUseCase } from './complete-step.use-case';
import { CompletionReconciler } from './completion-reconciler';
import { FaultHook } from './fault-hook';
import { PendingCompletionsRepository } from './pending-completions.repository';
import { StepCompleter } from './step-completer';
import { StepsController } from './steps.controller';

/** Completing a step: the pending completion, the engine call, the confirmation, and the reconciler. */
@Module({
  imports: [CasesModule, FeesModule, OpinionsModule, SigningModule, WorklistModule],
  controllers: [StepsController],
  providers: [PendingCompletionsRepository, StepCompleter, CompleteStepUseCase, CompletionReconciler, FaultHook],
  exports: [CompletionReconciler],
})
export class StepsModule {}
