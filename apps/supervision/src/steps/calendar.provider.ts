import { type CalendarOverride, WorkingCalendar } from '@gov/calendar';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The working calendar with the project's override table, reloaded at most once a minute. */
@Injectable()
export class CalendarProvider {
  private cached?: { calendar: WorkingCalendar; loadedAt: number };

  constructor(private readonly ds: DataSource) {}

  async get(): Promise<WorkingCalendar> {
    if (this.cached && Date.now() - this.cached.loadedAt < 60_000) return this.cached.calendar;
    const rows = await this.ds.query<CalendarOverride[]>(`SELECT to_char(day, 'YYYY-MM-DD') AS date, kind, name FROM calendar_overrides`);
    this.cached = { calendar: new WorkingCalendar(rows), loadedAt: Date.now() };
    return this.cached.calendar;
  }
}
