import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { ComplaintEscalations } from './complaint-escalations.service';
import { ComplaintsController } from './complaints.controller';
import { ComplaintsRepository } from './complaints.repository';
import { ComplaintsService } from './complaints.service';

/** Complaints (投诉举报, issue 10 §6, seed 004 art. 12): filing, the office's flow, progress by code. */
@Module({
  imports: [CalendarModule],
  controllers: [ComplaintsController],
  providers: [ComplaintsRepository, ComplaintsService, ComplaintEscalations],
  exports: [ComplaintEscalations],
})
export class ComplaintsModule {}
