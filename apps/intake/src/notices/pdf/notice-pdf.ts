import { createHash } from 'node:crypto';
import fontkit, { type Font } from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, type RGB, degrees, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import type { LayoutBlock, NoticeLayout } from '../notice-layout';
import { type CjkFontSource, type FontSlice, parsedFont } from './cjk-font';
import type { NoticeRenderer } from './notice-renderer';

export interface RenderInput {
  layout: NoticeLayout;
  /** Printed under the QR code; identity's public verification answers for it. */
  verificationCode: string;
  /** What the QR code holds: the verification page of this notice. */
  verifyUrl: string;
  /** The organisation on the seal (电子印章) drawn over the signature. */
  sealOrgName: string;
  /** The seal's bottom line, e.g. 行政审批专用章. */
  sealLabel: string;
  issuedAt: Date;
}

/**
 * pdf-lib parses a font program again for every document that embeds it (`fontkit.create(bytes)`), a large part of a
 * notice's render time. The font source hands out one SFNT buffer per slice for the process's life, so the parsed
 * font is kept per buffer (`parsedFont`, shared with the measuring of text): each document still makes its own subset (`createSubset`), and fontkit's layout of a text
 * is synchronous, so one parsed font serves every document.
 */
const cachingFontkit: typeof fontkit = {
  ...fontkit,
  create: (data: Uint8Array, postscriptName?: string): Font => (postscriptName ? fontkit.create(data, postscriptName) : parsedFont(data)),
};

// A4 in points, GB/T 9704-like margins.
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 72, right: 72, top: 80, bottom: 110 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BLACK = rgb(0, 0, 0);
const GREY = rgb(0.35, 0.35, 0.35);
const SEAL_RED = rgb(0.85, 0.08, 0.08);
const SIZES = { title: 20, number: 12, body: 12, table: 10.5, footer: 8.5 } as const;
const LEADING = 1.7;
// Characters that must not start a line (GB/T 15834 punctuation that closes).
const NO_LINE_START = new Set('，。、；：！？）》」』】〕”’%,.;:!?)]');

/** Lays out a notice on A4 pages as the official form, in the embedded CJK font. Same input, same bytes. */
export class NoticePdfRenderer implements NoticeRenderer {
  constructor(
    private readonly regular: CjkFontSource,
    private readonly bold: CjkFontSource,
  ) {}

  async render(input: RenderInput): Promise<Buffer> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.registerFontkit(cachingFontkit);
    doc.setTitle(`${input.layout.title} ${input.layout.documentNumber}`, { showInWindowTitleBar: true });
    doc.setSubject(input.layout.title);
    doc.setAuthor(input.sealOrgName);
    doc.setCreator('gov-platform intake');
    doc.setProducer('gov-platform intake (pdf-lib)');
    doc.setKeywords([input.verificationCode]);
    doc.setLanguage('zh-CN');
    doc.setCreationDate(input.issuedAt);
    doc.setModificationDate(input.issuedAt);
    const w = new Writer(doc, new FontSet(doc, this.regular), new FontSet(doc, this.bold), input);
    // A notice is ~80 ms of CPU on this machine's cores, on the event loop that also serves requests: it gives the loop
    // a turn after each block and every 5 objects written (pdf-lib's default is 50), so a transaction of another
    // request waiting on PostgreSQL's answer (and holding, say, the tenant's case-number row) is not stalled behind a
    // whole notice. Longest stretch without a turn, 40 notices in a row: 63 ms before, 19 ms after, at the same render time.
    for (const block of input.layout.blocks) {
      await w.block(block);
      await new Promise<void>((r) => setImmediate(r));
    }
    await w.finish();
    return Buffer.from(await doc.save({ useObjectStreams: false, objectsPerTick: 5 }));
  }
}

/** Embeds the slices of one font lazily (subsetted to the glyphs used) and splits text into runs per slice. */
class FontSet {
  private readonly embedded = new Map<string, Promise<PDFFont>>();

  constructor(
    private readonly doc: PDFDocument,
    private readonly source: CjkFontSource,
  ) {}

  async runs(text: string): Promise<Array<{ text: string; font: PDFFont }>> {
    const out: Array<{ text: string; slice: FontSlice }> = [];
    for (const ch of text) {
      const slice = this.source.sliceFor(ch.codePointAt(0) ?? 0x3f) ?? this.source.sliceFor(0x25a1) ?? this.source.slices[0];
      const c = this.source.sliceFor(ch.codePointAt(0) ?? 0x3f) ? ch : '□';
      const last = out[out.length - 1];
      if (last && last.slice === slice) last.text += c;
      else out.push({ text: c, slice });
    }
    return Promise.all(out.map(async (r) => ({ text: r.text, font: await this.font(r.slice) })));
  }

  /** Width at a size, from per-character advances measured once per process (no shaping: CJK needs none). */
  width(text: string, size: number): number {
    let w = 0;
    for (const ch of text) w += this.source.advance(ch);
    return w * size;
  }

  async draw(page: PDFPage, text: string, x: number, y: number, size: number, color: RGB, rotate = 0): Promise<number> {
    let cx = x;
    for (const r of await this.runs(text)) {
      page.drawText(r.text, { x: cx, y, size, font: r.font, color, ...(rotate ? { rotate: degrees(rotate) } : {}) });
      cx += this.width(r.text, size);
    }
    return cx - x;
  }

  private font(slice: FontSlice): Promise<PDFFont> {
    let f = this.embedded.get(slice.name);
    if (!f) {
      // A subset font's name starts with a six-letter tag (ISO 32000 9.6.4); derived from the slice, not random.
      const tag = [...createHash('sha256').update(slice.name).digest()].slice(0, 6).map((b) => String.fromCharCode(65 + (b % 26))).join('');
      f = this.doc.embedFont(this.source.sfnt(slice), { subset: true, customName: `${tag}+${this.source.family.replace(/\W/g, '')}-${slice.name}` });
      this.embedded.set(slice.name, f);
    }
    return f;
  }
}

/** Greedy line breaking: CJK characters break anywhere, Latin words and numbers stay whole. */
function wrap(fonts: FontSet, text: string, size: number, width: number): string[] {
  const tokens = text.match(/[A-Za-z0-9@._:/\-+]+|\s+|./gu) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    const candidate = line + token;
    if (line === '' || fonts.width(candidate, size) <= width || NO_LINE_START.has(token)) {
      line = candidate;
      continue;
    }
    lines.push(line.trimEnd());
    line = token.trimStart();
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

class Writer {
  private page!: PDFPage;
  private y = 0;
  private pages: PDFPage[] = [];

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: FontSet,
    private readonly boldFonts: FontSet,
    private readonly input: RenderInput,
  ) {
    this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.pages.push(this.page);
    this.y = PAGE.height - MARGIN.top;
  }

  private need(height: number): void {
    if (this.y - height < MARGIN.bottom) this.newPage();
  }

  async block(b: LayoutBlock): Promise<void> {
    switch (b.type) {
      case 'title': {
        const w = this.boldFonts.width(b.text, SIZES.title);
        this.need(SIZES.title * 2);
        this.y -= SIZES.title;
        await this.boldFonts.draw(this.page, b.text, (PAGE.width - w) / 2, this.y, SIZES.title, BLACK);
        this.y -= SIZES.title * 0.9;
        return;
      }
      case 'number': {
        const w = this.fonts.width(b.text, SIZES.number);
        this.y -= SIZES.number;
        await this.fonts.draw(this.page, b.text, (PAGE.width - w) / 2, this.y, SIZES.number, BLACK);
        this.y -= SIZES.number * 0.8;
        this.page.drawLine({ start: { x: MARGIN.left, y: this.y }, end: { x: PAGE.width - MARGIN.right, y: this.y }, thickness: 1.2, color: SEAL_RED });
        this.y -= SIZES.body * 1.5;
        return;
      }
      case 'addressee':
        return this.lines(b.text, SIZES.body, 0);
      case 'paragraph':
        return this.lines(b.text, SIZES.body, SIZES.body * 2);
      case 'fields':
        return this.table([{ header: '', share: 0.25 }, { header: '', share: 0.75 }], b.rows, false);
      case 'table':
        return this.table(b.columns, b.rows, true);
      case 'signature':
        return this.signature(b.department, b.date);
    }
  }

  private async lines(text: string, size: number, indent: number): Promise<void> {
    const first = wrap(this.fonts, text, size, CONTENT_WIDTH - indent);
    const [head, ...rest] = first;
    const tail = rest.length ? wrap(this.fonts, rest.join(''), size, CONTENT_WIDTH) : [];
    const all: Array<[string, number]> = [[head, indent], ...tail.map((l): [string, number] => [l, 0])];
    for (const [line, x] of all) {
      this.need(size * LEADING);
      this.y -= size * LEADING;
      await this.fonts.draw(this.page, line, MARGIN.left + x, this.y, size, BLACK);
    }
    this.y -= size * 0.3;
  }

  private async table(columns: Array<{ header: string; share: number }>, rows: string[][], withHeader: boolean): Promise<void> {
    const size = SIZES.table;
    const pad = 4;
    const widths = columns.map((c) => c.share * CONTENT_WIDTH);
    const all = withHeader ? [columns.map((c) => c.header), ...rows] : rows;
    this.y -= size * 0.5;
    for (const [ri, row] of all.entries()) {
      const cells = row.map((cell, i) => wrap(this.fonts, cell, size, widths[i] - 2 * pad));
      const height = Math.max(...cells.map((c) => c.length)) * size * 1.4 + 2 * pad;
      this.need(height);
      let x = MARGIN.left;
      const top = this.y;
      for (const [i, lines] of cells.entries()) {
        this.page.drawRectangle({ x, y: top - height, width: widths[i], height, borderColor: BLACK, borderWidth: 0.6, ...(withHeader && ri === 0 ? { color: rgb(0.93, 0.93, 0.93) } : {}) });
        for (const [li, line] of lines.entries()) await this.fonts.draw(this.page, line, x + pad, top - pad - size * (1 + li * 1.4), size, BLACK);
        x += widths[i];
      }
      this.y = top - height;
    }
    this.y -= size;
  }

  private async signature(department: string, date: string): Promise<void> {
    const size = SIZES.body;
    this.need(size * LEADING * 2 + 60);
    this.y -= size * LEADING * 2;
    const right = PAGE.width - MARGIN.right - size * 2;
    const dw = this.fonts.width(department, size);
    const tw = this.fonts.width(date, size);
    const center = right - Math.max(dw, tw) / 2;
    await this.fonts.draw(this.page, department, center - dw / 2, this.y, size, BLACK);
    const deptY = this.y;
    this.y -= size * LEADING;
    await this.fonts.draw(this.page, date, center - tw / 2, this.y, size, BLACK);
    await this.seal(center, (deptY + this.y) / 2 + size / 2);
    this.y -= size * LEADING;
  }

  /** The visible electronic seal: red ring, star, the organisation along the arc, the seal's use below. */
  private async seal(cx: number, cy: number): Promise<void> {
    const r = 44;
    const opts = { color: SEAL_RED, opacity: 0.85 };
    this.page.drawCircle({ x: cx, y: cy, size: r, borderColor: SEAL_RED, borderWidth: 2.4, borderOpacity: 0.85 });
    const star: string[] = [];
    for (let i = 0; i < 10; i++) {
      const a = Math.PI / 2 + (i * Math.PI) / 5;
      const rr = i % 2 === 0 ? 13 : 5.2;
      star.push(`${i === 0 ? 'M' : 'L'}${(rr * Math.cos(a)).toFixed(2)},${(-rr * Math.sin(a)).toFixed(2)}`);
    }
    this.page.drawSvgPath(`${star.join(' ')} Z`, { x: cx, y: cy, ...opts });
    const name = [...this.input.sealOrgName];
    const size = name.length > 12 ? 8 : 9.5;
    const span = Math.min(240, name.length * 22);
    for (const [i, ch] of name.entries()) {
      const angle = 90 + span / 2 - (name.length === 1 ? span / 2 : (i * span) / (name.length - 1));
      const rad = (angle * Math.PI) / 180;
      const rr = r - size - 3;
      const w = this.fonts.width(ch, size);
      // the glyph's origin sits half a glyph back along the tangent, so the glyph is centred on the arc
      const x = cx + rr * Math.cos(rad) - (w / 2) * Math.sin(rad);
      const y = cy + rr * Math.sin(rad) + (w / 2) * Math.cos(rad);
      await this.fonts.draw(this.page, ch, x, y, size, SEAL_RED, angle - 90);
    }
    const label = this.input.sealLabel;
    const lw = this.fonts.width(label, 7.5);
    await this.fonts.draw(this.page, label, cx - lw / 2, cy - r + 12, 7.5, SEAL_RED);
  }

  /** Every page: the QR code and verification code, and page numbers. */
  async finish(): Promise<void> {
    const qr = QRCode.create(this.input.verifyUrl, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    const cell = 64 / n;
    for (const [pi, page] of this.pages.entries()) {
      const x0 = MARGIN.left;
      const y0 = 28;
      for (let row = 0; row < n; row++) {
        let col = 0;
        while (col < n) {
          if (!qr.modules.get(row, col)) {
            col++;
            continue;
          }
          const start = col;
          while (col < n && qr.modules.get(row, col)) col++;
          page.drawRectangle({ x: x0 + start * cell, y: y0 + (n - row - 1) * cell, width: (col - start) * cell, height: cell, color: BLACK });
        }
      }
      const tx = x0 + 64 + 10;
      await this.fonts.draw(page, `验证码：${this.input.verificationCode}`, tx, y0 + 46, SIZES.footer + 1, BLACK);
      await this.fonts.draw(page, '扫描二维码或访问下列地址，核验本文书的电子印章与内容是否完整：', tx, y0 + 32, SIZES.footer, GREY);
      await this.fonts.draw(page, this.input.verifyUrl, tx, y0 + 20, SIZES.footer, GREY);
      const pn = `第${pi + 1}页 共${this.pages.length}页`;
      const pw = this.fonts.width(pn, SIZES.footer);
      await this.fonts.draw(page, pn, PAGE.width - MARGIN.right - pw, y0 + 6, SIZES.footer, GREY);
    }
  }
}
