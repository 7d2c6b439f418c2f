import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { StatisticsEventsController } from './statistics-events.controller';
import { StatisticsRecorder } from './statistics-recorder.service';
import { StatisticsController } from './statistics.controller';
import { StatisticsRepository } from './statistics.repository';
import { StatisticsService } from './statistics.service';

/** Performance statistics (绩效评估, issue 10 §5): rollups fed from Kafka; horizontal/vertical comparisons, CSV/XLSX/PDF. */
@Module({
  imports: [CalendarModule],
  controllers: [StatisticsController, StatisticsEventsController],
  providers: [StatisticsRepository, StatisticsRecorder, StatisticsService],
})
export class StatisticsModule {}
