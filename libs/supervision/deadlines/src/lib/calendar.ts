import { getHolidaysInRange, isWorkday } from 'chinese-days';

/** China Standard Time has no daylight saving: a fixed +08:00 offset is exact. */
const CST_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** A project-owned correction to the published schedule (each year's is announced in November). */
export interface CalendarOverride {
  date: string; // YYYY-MM-DD, China Standard Time
  kind: 'holiday' | 'workday';
  name?: string;
}

/**
 * Working days under the State Council's holiday schedule (statutory holidays and make-up working days) from the
 * `chinese-days` data package, corrected by the override table, which always wins.
 */
export class WorkingCalendar {
  private readonly overrides: Map<string, CalendarOverride['kind']>;
  private readonly coverage = new Map<number, boolean>();

  constructor(overrides: CalendarOverride[] = []) {
    for (const o of overrides) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(o.date)) throw new Error(`override date must be YYYY-MM-DD, got ${o.date}`);
    }
    this.overrides = new Map(overrides.map((o) => [o.date, o.kind]));
  }

  /**
   * Whether the year's official schedule is known: the data package has its holidays, or the override table has
   * entries for it. For other years only weekends are known, so deadlines crossing them are provisional.
   */
  coversYear(year: number): boolean {
    let known = this.coverage.get(year);
    if (known === undefined) {
      known = [...this.overrides.keys()].some((d) => d.startsWith(`${year}-`)) || getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
      this.coverage.set(year, known);
    }
    return known;
  }

  /** The deadline, and whether it is provisional because a counted day falls in a year whose schedule is unknown. */
  deadlineWithCoverage(start: Date, days: number): { deadline: Date; provisional: boolean } {
    const deadline = this.deadline(start, days);
    const from = Number(cstDate(startOfCstDay(start)).slice(0, 4));
    const to = Number(cstDate(deadline.getTime() + 1 - DAY_MS).slice(0, 4));
    let provisional = false;
    for (let y = from; y <= to; y++) provisional ||= !this.coversYear(y);
    return { deadline, provisional };
  }

  isWorkingDay(date: string): boolean {
    const override = this.overrides.get(date);
    if (override) return override === 'workday';
    return isWorkday(date);
  }

  /**
   * The deadline of a step opened at `start` with a limit of `days` working days: the end (23:59:59.999 CST) of the
   * `days`-th working day after the opening day. The opening day itself does not count. Zero days means the end of
   * the opening day.
   */
  deadline(start: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 0) throw new Error(`working days must be a non-negative integer, got ${days}`);
    let dayStart = startOfCstDay(start);
    let counted = 0;
    while (counted < days) {
      dayStart += DAY_MS;
      if (this.isWorkingDay(cstDate(dayStart))) counted++;
    }
    return new Date(dayStart + DAY_MS - 1);
  }
}

/** UTC epoch ms of 00:00 CST of the day containing `t`. */
function startOfCstDay(t: Date): number {
  const local = t.getTime() + CST_OFFSET_MS;
  return local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - CST_OFFSET_MS;
}

/** YYYY-MM-DD in CST for a UTC epoch ms at a CST midnight. */
function cstDate(utcMsAtCstMidnight: number): string {
  return new Date(utcMsAtCstMidnight + CST_OFFSET_MS).toISOString().slice(0, 10);
}

export type Light = 'green' | 'yellow' | 'red';

/** Green while open, yellow within `yellowWindowMs` of the deadline, red once overdue. */
export function lightAt(now: Date, deadline: Date, yellowWindowMs = DAY_MS): Light {
  const left = deadline.getTime() - now.getTime();
  if (left < 0) return 'red';
  if (left <= yellowWindowMs) return 'yellow';
  return 'green';
}
