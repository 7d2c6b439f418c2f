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
  /**
   * Whether each CST day (by its start, epoch ms) is a working day, as `isWorkingDay` answered: the schedule and the
   * overrides are fixed for the calendar's life, and counting looks every day up again (a progress read counts the
   * days a case has run; the date string and the data package's lookup were most of that read's own CPU).
   */
  private readonly workingDays = new Map<number, boolean>();

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

  /**
   * The deadline, and whether it is provisional because a counted day falls in a year whose schedule is unknown.
   * `suspensions` as for `deadline`.
   */
  deadlineWithCoverage(start: Date, days: number, suspensions: readonly Suspension[] = []): { deadline: Date; provisional: boolean } {
    const deadline = this.deadline(start, days, suspensions);
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
   * `days`-th counted working day after the opening day. The opening day itself does not count. Zero days means the
   * end of the opening day.
   *
   * Suspensions (暂停计算: correction, hearing, expert review, inspection, testing, quarantine, appraisal, tendering,
   * auction) are excluded from the limit by whole working days: a working day whose office hours
   * (09:00-17:00 CST, see `OFFICE_HOURS`) are entirely covered by suspensions (overlapping or touching intervals are
   * merged first) is not counted, and the deadline moves past it. A working day that is suspended only in part still
   * counts, since the office could act on it. With no suspensions the result is exactly the plain count.
   */
  deadline(start: Date, days: number, suspensions: readonly Suspension[] = []): Date {
    if (!Number.isInteger(days) || days < 0) throw new Error(`working days must be a non-negative integer, got ${days}`);
    const suspended = mergeSuspensions(suspensions);
    let dayStart = startOfCstDay(start);
    let counted = 0;
    while (counted < days) {
      dayStart += DAY_MS;
      if (this.counts(dayStart, suspended)) counted++;
    }
    return new Date(dayStart + DAY_MS - 1);
  }

  /**
   * Working days used between two instants: the counted working days (as in `deadline`, suspended days excluded)
   * after the CST day of `from`, up to and including the CST day of `to`. The inverse of `deadline`:
   * `workingDaysBetween(s, deadline(s, n, x), x) === n` for every n. Zero when `to` is on or before `from`'s day.
   */
  workingDaysBetween(from: Date, to: Date, suspensions: readonly Suspension[] = []): number {
    const suspended = mergeSuspensions(suspensions);
    const last = startOfCstDay(to);
    let counted = 0;
    for (let dayStart = startOfCstDay(from) + DAY_MS; dayStart <= last; dayStart += DAY_MS) {
      if (this.counts(dayStart, suspended)) counted++;
    }
    return counted;
  }

  private isWorkingDayAt(dayStart: number): boolean {
    let working = this.workingDays.get(dayStart);
    if (working === undefined) {
      working = this.isWorkingDay(cstDate(dayStart));
      // ~140 years of days; past it (never in practice) start over rather than grow
      if (this.workingDays.size >= 50_000) this.workingDays.clear();
      this.workingDays.set(dayStart, working);
    }
    return working;
  }

  /** Whether the CST day starting at `dayStart` counts toward a limit: a working day not suspended for its office hours. */
  private counts(dayStart: number, suspended: readonly Interval[]): boolean {
    if (!this.isWorkingDayAt(dayStart)) return false;
    const open = dayStart + OFFICE_HOURS.openMs;
    const close = dayStart + OFFICE_HOURS.closeMs;
    return !suspended.some((s) => s.from <= open && s.to >= close);
  }
}

/** A period during which a step's time limit stopped running (暂停计算), from `from` up to `to`. */
export interface Suspension {
  from: Date;
  to: Date;
  /** Why (correction, hearing, expert review ...): shown to the applicant, not used in the count. */
  reason?: string;
}

/** The office hours a suspension has to cover for a working day not to count (CST, ms after midnight). */
export const OFFICE_HOURS = { openMs: 9 * 3600 * 1000, closeMs: 17 * 3600 * 1000 } as const;

interface Interval {
  from: number;
  to: number;
}

/** Validates suspensions and merges overlapping or touching ones into sorted, disjoint intervals. */
function mergeSuspensions(suspensions: readonly Suspension[]): Interval[] {
  const sorted = suspensions
    .map((s) => {
      const from = s.from.getTime();
      const to = s.to.getTime();
      if (!Number.isFinite(from) || !Number.isFinite(to)) throw new Error('a suspension needs valid from and to instants');
      if (to < from) throw new Error(`a suspension ends before it starts (${s.from.toISOString()} > ${s.to.toISOString()})`);
      return { from, to };
    })
    .sort((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const s of sorted) {
    const last = merged[merged.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else merged.push({ ...s });
  }
  return merged;
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
