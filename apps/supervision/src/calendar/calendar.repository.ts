import type { CalendarOverride } from '@gov/calendar';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** The project-owned corrections to the published holiday schedule (`calendar_overrides`). */
@Injectable()
export class CalendarRepository {
  constructor(private readonly ds: DataSource) {}

  overrides(): Promise<CalendarOverride[]> {
    return this.ds.query<CalendarOverride[]>(`SELECT to_char(day, 'YYYY-MM-DD') AS date, kind, name FROM calendar_overrides ORDER BY day`);
  }

  forYear(year: number): Promise<CalendarOverride[]> {
    return this.ds.query<CalendarOverride[]>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS date, kind, name FROM calendar_overrides WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1) ORDER BY day`,
      [year],
    );
  }

  /** Replaces the year's entries with `days` (the State Council's schedule for it). */
  async replaceYear(m: EntityManager, year: number, days: readonly CalendarOverride[]): Promise<void> {
    await m.query(`DELETE FROM calendar_overrides WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1)`, [year]);
    for (const d of days) await m.query(`INSERT INTO calendar_overrides (day, kind, name) VALUES ($1, $2, $3)`, [d.date, d.kind, d.name ?? null]);
  }
}
