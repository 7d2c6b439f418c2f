import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { StepAccess } from './step-access';
import { WorklistController } from './worklist.controller';

/** The worklist of open steps and claiming one. */
@Module({ imports: [CasesModule], controllers: [WorklistController], providers: [StepAccess], exports: [StepAccess] })
export class WorklistModule {}
