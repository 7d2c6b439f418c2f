import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Color, PDFFont, PDFPage } from 'pdf-lib';
import type { StatisticsLine } from './statistics-export';
import { woffToSfnt } from './woff';

// The monthly report (月度绩效报告) as PDF: a table of the month's figures per department and two bar charts (cases
// decided, on-time rate), drawn with vector primitives. CJK text needs an embedded font: Noto Sans SC from
// @fontsource/noto-sans-sc, subset into the PDF by fontkit so the file stays small.
// pdf-lib and fontkit are loaded on the first report, not at start: together they hold about 8 MB of heap (and more
// resident code) that an idle supervision would otherwise carry for a report asked for once a month.

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 40;

let fontBytes: Uint8Array | undefined;

/** The Noto Sans SC font file (regular weight) of @fontsource/noto-sans-sc. */
export function cjkFontBytes(): Uint8Array {
  if (fontBytes) return fontBytes;
  const dir = join(dirname(require.resolve('@fontsource/noto-sans-sc/package.json')), 'files');
  const files = readdirSync(dir);
  // The whole-font file when the package has one; fontkit reads WOFF (zlib), not WOFF2 without brotli.
  const pick = files.find((f) => /noto-sans-sc-chinese-simplified-400-normal\.woff$/.test(f)) ?? files.find((f) => /-400-normal\.woff$/.test(f));
  if (!pick) throw new Error(`no Noto Sans SC regular WOFF file in ${dir}`);
  fontBytes = woffToSfnt(readFileSync(join(dir, pick)));
  return fontBytes;
}

export interface MonthlyReportInput {
  month: string;
  title: string;
  lines: readonly StatisticsLine[];
  /** Display names for keys (department codes → names), where known. */
  names?: Readonly<Record<string, string>>;
  generatedAt: Date;
}

export async function monthlyReportPdf(input: MonthlyReportInput): Promise<Buffer> {
  const [{ PDFDocument, rgb }, { default: fontkit }] = await Promise.all([import('pdf-lib'), import('@pdf-lib/fontkit')]);
  const BAR = rgb(0.2, 0.4, 0.7);
  const RED = rgb(0.75, 0.15, 0.15);
  const GREY = rgb(0.45, 0.45, 0.45);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(cjkFontBytes(), { subset: true });
  doc.setTitle(input.title);
  doc.setCreator('e-supervision');
  doc.setCreationDate(input.generatedAt);
  let page = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const text = (p: PDFPage, s: string, x: number, yy: number, size = 10, color = rgb(0, 0, 0)) => p.drawText(s, { x, y: yy, size, font, color });

  text(page, input.title, MARGIN, y - 18, 18);
  y -= 40;
  const totals = sum(input.lines);
  text(page, `统计月份 ${input.month}    生成时间 ${input.generatedAt.toISOString()}`, MARGIN, y, 9, GREY);
  y -= 18;
  text(page, `受理 ${totals.accepted}  办结 ${totals.decided}  红牌 ${totals.reds}  黄牌 ${totals.yellows}  投诉 ${totals.complaints}  评价 ${totals.ratings}`, MARGIN, y, 11);
  y -= 28;

  const label = (l: StatisticsLine) => input.names?.[l.key] ?? l.key;
  const top = [...input.lines].sort((a, b) => b.decided - a.decided).slice(0, 12);
  y = barChart(page, font, '办结件数 (cases decided)', top.map((l) => ({ label: label(l), value: l.decided, text: String(l.decided) })), y, BAR, GREY);
  y = barChart(page, font, '按时办结率 (on-time rate)', top.map((l) => ({ label: label(l), value: l.onTimeRate ?? 0, max: 1, text: l.onTimeRate === null ? '-' : `${(l.onTimeRate * 100).toFixed(1)}%` })), y - 10, RED, GREY);

  // The table: one line per key, continued on new pages.
  const cols: Array<{ h: string; w: number; v: (l: StatisticsLine) => string }> = [
    { h: '对象', w: 150, v: (l) => label(l) },
    { h: '受理', w: 40, v: (l) => String(l.accepted) },
    { h: '办结', w: 40, v: (l) => String(l.decided) },
    { h: '按时率', w: 50, v: (l) => pct(l.onTimeRate) },
    { h: '平均用时', w: 50, v: (l) => num(l.avgWorkingDaysUsed) },
    { h: 'P90', w: 35, v: (l) => num(l.p90WorkingDaysUsed) },
    { h: '提速率', w: 45, v: (l) => pct(l.speedUpRate) },
    { h: '红/黄', w: 40, v: (l) => `${l.reds}/${l.yellows}` },
    { h: '投诉', w: 30, v: (l) => String(l.complaints) },
    { h: '满意率', w: 45, v: (l) => pct(l.satisfactionRate) },
  ];
  const header = (p: PDFPage, yy: number) => {
    let x = MARGIN;
    for (const c of cols) {
      text(p, c.h, x, yy, 9, GREY);
      x += c.w;
    }
    p.drawLine({ start: { x: MARGIN, y: yy - 4 }, end: { x: A4[0] - MARGIN, y: yy - 4 }, thickness: 0.5, color: GREY });
    return yy - 16;
  };
  y = header(page, y - 10);
  for (const l of input.lines) {
    if (y < MARGIN + 20) {
      page = doc.addPage(A4);
      y = header(page, A4[1] - MARGIN);
    }
    let x = MARGIN;
    for (const c of cols) {
      text(page, fit(font, c.v(l), 9, c.w - 4), x, y, 9);
      x += c.w;
    }
    y -= 14;
  }
  return Buffer.from(await doc.save());
}

interface Bar {
  label: string;
  value: number;
  text: string;
  max?: number;
}

/** A horizontal bar chart drawn with rectangles; returns the y below it. */
function barChart(page: PDFPage, font: PDFFont, title: string, bars: Bar[], y: number, color: Color, grey: Color): number {
  page.drawText(title, { x: MARGIN, y, size: 12, font });
  y -= 18;
  const labelW = 150;
  const width = A4[0] - 2 * MARGIN - labelW - 50;
  const max = Math.max(1e-9, ...bars.map((b) => b.max ?? b.value));
  for (const b of bars) {
    page.drawText(fit(font, b.label, 9, labelW - 6), { x: MARGIN, y: y + 2, size: 9, font });
    const w = Math.max(0.5, (b.value / max) * width);
    page.drawRectangle({ x: MARGIN + labelW, y, width: w, height: 10, color });
    page.drawText(b.text, { x: MARGIN + labelW + w + 4, y: y + 1, size: 8, font, color: grey });
    y -= 15;
  }
  page.drawLine({ start: { x: MARGIN + labelW, y: y + 12 }, end: { x: MARGIN + labelW, y: y + 15 * bars.length + 12 }, thickness: 0.5, color: grey });
  return y - 10;
}

function fit(font: PDFFont, s: string, size: number, width: number): string {
  if (font.widthOfTextAtSize(s, size) <= width) return s;
  let t = s;
  while (t.length > 1 && font.widthOfTextAtSize(`${t}…`, size) > width) t = t.slice(0, -1);
  return `${t}…`;
}

const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null) => (v === null ? '-' : String(v));

function sum(lines: readonly StatisticsLine[]) {
  return lines.reduce(
    (a, l) => ({ accepted: a.accepted + l.accepted, decided: a.decided + l.decided, reds: a.reds + l.reds, yellows: a.yellows + l.yellows, complaints: a.complaints + l.complaints, ratings: a.ratings + l.ratings }),
    { accepted: 0, decided: 0, reds: 0, yellows: 0, complaints: 0, ratings: 0 },
  );
}
