import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { CalendarController } from './calendar.controller';
import { CalendarModule } from './calendar.module';

/** `PUT /calendar/years/:year` and the public calendar endpoints (needs the clocks to recompute deadlines). */
@Module({ imports: [CalendarModule, CasesModule], controllers: [CalendarController] })
export class CalendarAdminModule {}
