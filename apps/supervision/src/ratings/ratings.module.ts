import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { RatingsEventsController } from './ratings-events.controller';
import { RatingsController } from './ratings.controller';
import { RatingsRepository } from './ratings.repository';
import { RatingsService } from './ratings.service';

/** Service ratings (好差评, issue 10 §6): rating decided cases, rectification of bad ratings, rating the rectification. */
@Module({
  imports: [CalendarModule],
  controllers: [RatingsController, RatingsEventsController],
  providers: [RatingsRepository, RatingsService],
})
export class RatingsModule {}
