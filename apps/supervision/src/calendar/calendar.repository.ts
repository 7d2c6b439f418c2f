import type { CalendarOverride } from '@gov/calendar';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The project-owned corrections to the published holiday schedule (`calendar_overrides`). */
@Injectable()
export class CalendarRepository {
  constructor(private readonly ds: DataSource) {}

  overrides(): Promise<CalendarOverride[]> {
    return this.ds.query<CalendarOverride[]>(`SELECT to_char(day, 'YYYY-MM-DD') AS date, kind, name FROM calendar_overrides ORDER BY day`);
  }
}
