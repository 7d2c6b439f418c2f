// Query schemas; their types are named *Params, not like the schemas: a parameter typed with a name that is also a
// value would hand that value (the zod schema) to the global ValidationPipe as the parameter's class.
import { z } from 'zod';
import { DIMENSIONS } from './dimensions';
import { PERIOD_KEY_FORMAT, PERIODS, type Period } from './periods';

const dimKey = z.string().regex(/^[0-9A-Za-z._:@-]{1,100}$/, 'must be 1-100 letters, digits, . _ : @ -');
const format = z.enum(['json', 'csv', 'xlsx'], { message: "must be 'json', 'csv' or 'xlsx'" }).default('json');
const dimension = z.enum(DIMENSIONS, { message: `must be one of ${DIMENSIONS.join(', ')}` });
const period = z.enum(PERIODS, { message: `must be one of ${PERIODS.join(', ')}` });

function checkKey(p: Period, value: string | undefined, ctx: z.RefinementCtx, field: string): void {
  if (value !== undefined && !PERIOD_KEY_FORMAT[p].test(value)) {
    ctx.addIssue({ code: 'custom', path: [field], message: `a ${p} looks like ${({ day: '2026-11-22', month: '2026-11', quarter: '2026-Q4', year: '2026' } as const)[p]}` });
  }
}

/** `GET /statistics/horizontal`: every department (or other dimension) in one period. */
export const HorizontalQuery = z
  .object({ dimension: dimension.default('department'), period, key: z.string().max(16), format })
  .strict()
  .superRefine((q, ctx) => checkKey(q.period, q.key, ctx, 'key'));
export type HorizontalParams = z.infer<typeof HorizontalQuery>;

/** `GET /statistics/vertical`: one key of a dimension over a range of periods. */
export const VerticalQuery = z
  .object({ dimension: dimension.default('department'), key: dimKey, period, from: z.string().max(16), to: z.string().max(16), format })
  .strict()
  .superRefine((q, ctx) => {
    checkKey(q.period, q.from, ctx, 'from');
    checkKey(q.period, q.to, ctx, 'to');
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  });
export type VerticalParams = z.infer<typeof VerticalQuery>;

/** `GET /statistics/reports/monthly`. */
export const MonthlyReportQuery = z
  .object({ month: z.string().regex(PERIOD_KEY_FORMAT.month, 'a month looks like 2026-11'), dimension: dimension.default('department') })
  .strict();
export type MonthlyReportParams = z.infer<typeof MonthlyReportQuery>;
