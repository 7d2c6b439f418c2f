import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { StepEventsController } from './step-events.controller';
import { StepEventsService } from './step-events.service';
import { StepsController } from './steps.controller';
import { StepsRepository } from './steps.repository';

/** Steps: consumed from step events, with deadlines; `GET /cases/:caseNumber/steps`. */
@Module({
  imports: [CalendarModule],
  controllers: [StepsController, StepEventsController],
  providers: [StepsRepository, StepEventsService],
  exports: [StepsRepository],
})
export class StepsModule {}
