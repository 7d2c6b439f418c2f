import type { RollupFigures } from './rollup-math';

/** One row of a comparison table: what it is about, its period, and its figures. */
export interface StatisticsLine extends RollupFigures {
  dimension: string;
  key: string;
  period: string;
  periodKey: string;
}

/** Columns of every export, in order, with their Chinese headers (the office reads these). */
export const EXPORT_COLUMNS: ReadonlyArray<{ field: keyof StatisticsLine; header: string }> = [
  { field: 'dimension', header: '维度 dimension' },
  { field: 'key', header: '对象 key' },
  { field: 'period', header: '周期 period' },
  { field: 'periodKey', header: '期间 periodKey' },
  { field: 'received', header: '收件 received' },
  { field: 'accepted', header: '受理 accepted' },
  { field: 'decided', header: '办结 decided' },
  { field: 'onTimeRate', header: '按时办结率 onTimeRate' },
  { field: 'avgWorkingDaysUsed', header: '平均用时(工作日) avgWorkingDaysUsed' },
  { field: 'p90WorkingDaysUsed', header: 'P90用时(工作日) p90WorkingDaysUsed' },
  { field: 'avgStatutoryWorkingDays', header: '平均法定时限 avgStatutoryWorkingDays' },
  { field: 'avgPromisedWorkingDays', header: '平均承诺时限 avgPromisedWorkingDays' },
  { field: 'promisedOnTimeRate', header: '承诺时限内办结率 promisedOnTimeRate' },
  { field: 'speedUpRate', header: '提速率 speedUpRate' },
  { field: 'returns', header: '退回 returns' },
  { field: 'suspensions', header: '暂停 suspensions' },
  { field: 'reds', header: '红牌 reds' },
  { field: 'yellows', header: '黄牌 yellows' },
  { field: 'caseReds', header: '案件红灯 caseReds' },
  { field: 'caseYellows', header: '案件黄灯 caseYellows' },
  { field: 'anomalies', header: '异常 anomalies' },
  { field: 'complaints', header: '投诉 complaints' },
  { field: 'ratings', header: '评价数 ratings' },
  { field: 'avgRating', header: '平均评分 avgRating' },
  { field: 'satisfactionRate', header: '满意率 satisfactionRate' },
  { field: 'consultations', header: '咨询 consultations' },
  { field: 'consultationsOverdue', header: '咨询逾期 consultationsOverdue' },
];

/** RFC 4180 CSV with a UTF-8 BOM (so spreadsheet programs read the Chinese headers), CRLF line ends. */
export function toCsv(lines: readonly StatisticsLine[]): Buffer {
  const cell = (v: string | number | null): string => {
    const s = v === null ? '' : String(v);
    // A leading = + - @ would be run as a formula by spreadsheet programs (CSV injection): prefix it with an apostrophe.
    const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const rows = [EXPORT_COLUMNS.map((c) => cell(c.header)).join(','), ...lines.map((l) => EXPORT_COLUMNS.map((c) => cell(l[c.field])).join(','))];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows.join('\r\n') + '\r\n', 'utf8')]);
}

/** exceljs is loaded on the first export, not at start (about 8 MB of heap an idle service would carry). */
export async function toXlsx(lines: readonly StatisticsLine[], title: string): Promise<Buffer> {
  const { Workbook } = await import('exceljs');
  const wb = new Workbook();
  wb.creator = 'e-supervision';
  const ws = wb.addWorksheet(title.slice(0, 31));
  ws.columns = EXPORT_COLUMNS.map((c) => ({ header: c.header, key: c.field, width: Math.max(12, Math.min(40, c.header.length + 2)) }));
  for (const l of lines) ws.addRow(Object.fromEntries(EXPORT_COLUMNS.map((c) => [c.field, l[c.field]])));
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
