// Statistics periods. Days, months, quarters and years are those of China Standard Time (UTC+8, no DST), so a case
// decided at 23:30 Beijing time on the last day of a month counts in that month.

export const PERIODS = ['day', 'month', 'quarter', 'year'] as const;
export type Period = (typeof PERIODS)[number];

const CST_OFFSET_MS = 8 * 3600 * 1000;

/** The key of the period containing `at`: 2026-11-22, 2026-11, 2026-Q4, 2026. */
export function periodKey(period: Period, at: Date): string {
  const d = new Date(at.getTime() + CST_OFFSET_MS);
  const y = String(d.getUTCFullYear());
  const m = d.getUTCMonth() + 1;
  switch (period) {
    case 'day':
      return `${y}-${pad(m)}-${pad(d.getUTCDate())}`;
    case 'month':
      return `${y}-${pad(m)}`;
    case 'quarter':
      return `${y}-Q${Math.ceil(m / 3)}`;
    case 'year':
      return y;
  }
}

/** Every period key containing `at`. */
export function periodKeys(at: Date): Array<{ period: Period; key: string }> {
  return PERIODS.map((period) => ({ period, key: periodKey(period, at) }));
}

export const PERIOD_KEY_FORMAT: Record<Period, RegExp> = {
  day: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  month: /^\d{4}-(0[1-9]|1[0-2])$/,
  quarter: /^\d{4}-Q[1-4]$/,
  year: /^\d{4}$/,
};

export const PERIOD_KEY_EXAMPLE: Record<Period, string> = { day: '2026-11-22', month: '2026-11', quarter: '2026-Q4', year: '2026' };

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
