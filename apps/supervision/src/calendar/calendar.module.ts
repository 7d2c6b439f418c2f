import { Global, Module } from '@nestjs/common';
import { CalendarProvider } from './calendar.provider';
import { CalendarRepository } from './calendar.repository';

/** One calendar (and one cache) for the whole service: global, so an entered schedule is seen by every module at once. */
@Global()
@Module({ providers: [CalendarRepository, CalendarProvider], exports: [CalendarProvider, CalendarRepository] })
export class CalendarModule {}
