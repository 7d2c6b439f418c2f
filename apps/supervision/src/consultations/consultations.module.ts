import { Module } from '@nestjs/common';
import { ConsultationEventsController } from './consultation-events.controller';

/** Consultations (咨询) consumed from intake: overdue answers raise an alert. */
@Module({ controllers: [ConsultationEventsController] })
export class ConsultationsModule {}
