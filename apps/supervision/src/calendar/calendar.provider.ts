import { WorkingCalendar } from '@gov/calendar';
import { Injectable } from '@nestjs/common';
import { CalendarRepository } from './calendar.repository';

/** The working calendar (@gov/calendar) with the project's override table, reloaded at most once a minute. */
@Injectable()
export class CalendarProvider {
  private cached?: { calendar: WorkingCalendar; loadedAt: number };

  constructor(private readonly overrides: CalendarRepository) {}

  async get(): Promise<WorkingCalendar> {
    if (this.cached && Date.now() - this.cached.loadedAt < 60_000) return this.cached.calendar;
    this.cached = { calendar: new WorkingCalendar(await this.overrides.overrides()), loadedAt: Date.now() };
    return this.cached.calendar;
  }

  /** Forgets the cached calendar (after the override table changed in this process). */
  invalidate(): void {
    this.cached = undefined;
  }
}
