import type { CalendarOverride } from '@gov/calendar';

/** Why a schedule was refused: the field (or ICS line) and the rule. */
export class ScheduleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

function validDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The JSON form: `{ days: [{ date: 'YYYY-MM-DD', kind: 'holiday'|'workday', name? }] }`, every date in `year`. */
export function parseJsonSchedule(year: number, days: unknown): CalendarOverride[] {
  if (!Array.isArray(days) || days.length === 0) throw new ScheduleError('days', 'must be a non-empty list of { date, kind, name }');
  if (days.length > 366) throw new ScheduleError('days', 'at most 366 days');
  const seen = new Set<string>();
  return days.map((raw, i) => {
    const d = raw as Record<string, unknown>;
    if (typeof d !== 'object' || d === null) throw new ScheduleError(`days[${i}]`, 'must be an object');
    if (typeof d.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(d.date) || !validDate(d.date)) throw new ScheduleError(`days[${i}].date`, 'must be a date YYYY-MM-DD');
    if (!d.date.startsWith(`${year}-`)) throw new ScheduleError(`days[${i}].date`, `must be in ${year}`);
    if (seen.has(d.date)) throw new ScheduleError(`days[${i}].date`, `${d.date} is listed twice`);
    seen.add(d.date);
    if (d.kind !== 'holiday' && d.kind !== 'workday') throw new ScheduleError(`days[${i}].kind`, "must be 'holiday' or 'workday' (a make-up working day, 调休上班)");
    if (d.name !== undefined && (typeof d.name !== 'string' || d.name.length > 100)) throw new ScheduleError(`days[${i}].name`, 'must be text of at most 100 characters');
    return { date: d.date, kind: d.kind, ...(typeof d.name === 'string' ? { name: d.name } : {}) };
  });
}

/**
 * The ICS form (one VEVENT per holiday period or make-up working day, all-day DTSTART/DTEND with DTEND exclusive, as
 * the published holiday calendars have it): a SUMMARY containing 班 (or "workday") is a make-up working day, any other
 * a holiday. Every day must fall in `year`.
 */
export function parseIcsSchedule(year: number, ics: string): CalendarOverride[] {
  const lines = ics.replace(/\r\n[ \t]/g, '').split(/\r?\n/);
  const out = new Map<string, CalendarOverride>();
  let ev: { start?: string; end?: string; summary?: string; line: number } | undefined;
  const day = (v: string, line: number): string => {
    const m = /^(\d{4})(\d{2})(\d{2})/.exec(v);
    if (!m || !validDate(`${m[1]}-${m[2]}-${m[3]}`)) throw new ScheduleError(`ics line ${line}`, `not a date: ${v.slice(0, 40)}`);
    return `${m[1]}-${m[2]}-${m[3]}`;
  };
  lines.forEach((text, i) => {
    const line = i + 1;
    if (text === 'BEGIN:VEVENT') ev = { line };
    else if (text === 'END:VEVENT') {
      if (!ev?.start) throw new ScheduleError(`ics line ${line}`, 'VEVENT without DTSTART');
      const kind = /班|workday/i.test(ev.summary ?? '') ? 'workday' : 'holiday';
      const first = new Date(`${ev.start}T00:00:00Z`).getTime();
      const end = ev.end ? new Date(`${ev.end}T00:00:00Z`).getTime() : first + 86_400_000;
      if (end <= first || end - first > 40 * 86_400_000) throw new ScheduleError(`ics line ${ev.line}`, 'DTEND must be after DTSTART and within 40 days');
      for (let t = first; t < end; t += 86_400_000) {
        const date = new Date(t).toISOString().slice(0, 10);
        if (!date.startsWith(`${year}-`)) throw new ScheduleError(`ics line ${ev.line}`, `${date} is not in ${year}`);
        out.set(date, { date, kind, ...(ev.summary ? { name: ev.summary.slice(0, 100) } : {}) });
      }
      ev = undefined;
    } else if (ev) {
      const [key, ...rest] = text.split(':');
      const value = rest.join(':');
      if (key.startsWith('DTSTART')) ev.start = day(value, line);
      else if (key.startsWith('DTEND')) ev.end = day(value, line);
      else if (key === 'SUMMARY') ev.summary = value;
    }
  });
  if (out.size === 0) throw new ScheduleError('ics', 'no VEVENT with a date found');
  return [...out.values()].sort((a, b) => a.date.localeCompare(b.date));
}
