import { Module } from '@nestjs/common';
import { CalendarProvider } from './calendar.provider';
import { CalendarRepository } from './calendar.repository';

@Module({ providers: [CalendarRepository, CalendarProvider], exports: [CalendarProvider] })
export class CalendarModule {}
