import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { RulesModule } from '../rules/rules.module';
import { StepEventsController } from '../steps/step-events.controller';
import { StepEventsService } from '../steps/step-events.service';
import { StepsModule } from '../steps/steps.module';
import { CaseEventsController } from './case-events.controller';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { ClocksService } from './clocks.service';

/**
 * Case clocks: consumes step and case events (one inbox consumer group), keeps steps' and cases' deadlines
 * (statutory and promised, suspensions excluded) and the facts the anomaly rules read; `GET /cases/:caseNumber/clock`.
 */
@Module({
  imports: [StepsModule, CalendarModule, RulesModule],
  controllers: [StepEventsController, CaseEventsController, CasesController],
  providers: [CasesRepository, ClocksService, StepEventsService],
  exports: [ClocksService, CasesRepository],
})
export class CasesModule {}
