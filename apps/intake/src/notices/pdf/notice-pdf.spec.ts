import { PDFArray, PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { NOTICE_DATA, type AnyNoticeData, type NoticeKind, documentNumberOf } from '../notice-kinds';
import { sampleNoticeData } from '../notice-fixtures';
import { layoutNotice } from '../notice-layout';
import { CjkFontSource, parseUnicodeRange } from './cjk-font';
import { NoticePdfRenderer } from './notice-pdf';

const ISSUED = new Date('2026-12-02T03:00:00Z');
const samples = sampleNoticeData({ applicationId: '6f1c2b1e-6a55-4c9f-9a52-7d1f3f1a0b11', caseNumber: '449900-20261202-000001' });
const renderer = new NoticePdfRenderer(CjkFontSource.fromPackage('@fontsource/noto-sans-sc', 400), CjkFontSource.fromPackage('@fontsource/noto-sans-sc', 700));

function render(kind: NoticeKind, issuedAt = ISSUED, code = 'ABCD-EFGH-JKMN-PQRS'): Promise<Buffer> {
  const n = { kind, data: NOTICE_DATA[kind].parse(samples[kind]) } as AnyNoticeData;
  const layout = layoutNotice(n, { documentNumber: documentNumberOf(n, issuedAt), departmentName: '示范市市场监督管理局', issuedAt });
  return renderer.render({ layout, verificationCode: code, verifyUrl: `http://127.0.0.1:3001/verify/documents/${code}`, sealOrgName: '示范市市场监督管理局', sealLabel: '行政审批专用章', issuedAt });
}

/** The fonts the pages use, with whether each has an embedded font program. */
async function fontsOf(pdf: Buffer): Promise<Array<{ name: string; embedded: boolean }>> {
  const doc = await PDFDocument.load(pdf);
  const out: Array<{ name: string; embedded: boolean }> = [];
  for (const page of doc.getPages()) {
    const fonts = page.node.Resources()?.lookup(PDFName.of('Font'), PDFDict);
    for (const key of fonts?.keys() ?? []) {
      const font = fonts!.lookup(key, PDFDict);
      const cid = font.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
      const descriptor = cid.lookup(PDFName.of('FontDescriptor'), PDFDict);
      out.push({ name: font.get(PDFName.of('BaseFont'))?.toString() ?? '', embedded: descriptor.has(PDFName.of('FontFile2')) });
    }
  }
  return out;
}

describe('notice PDFs', () => {
  it.each(Object.keys(samples) as NoticeKind[])('renders the %s notice on A4 with its title in the document info', async (kind) => {
    // when
    const pdf = await render(kind);
    // then
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
    const { width, height } = doc.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
    // (the acceptance-regime notices are intake's 文号 over the case number; a decision carries approval's, a licence its number)
    expect(doc.getTitle()).toContain(documentNumberOf({ kind, data: NOTICE_DATA[kind].parse(samples[kind]) } as AnyNoticeData, ISSUED));
    expect(doc.getTitle()).toContain('449900-');
    expect(doc.getKeywords()).toBe('ABCD-EFGH-JKMN-PQRS');
    expect(pdf.length).toBeLessThan(250_000);
  });

  it('embeds the CJK font, subsetted (tagged names), for every font it uses', async () => {
    const fonts = await fontsOf(await render('refusal'));
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f.embedded).toBe(true);
      expect(f.name).toMatch(/^\/[A-Z]{6}\+NotoSansSC-/);
    }
  });

  it('is deterministic: the same notice and date give the same bytes, another date other bytes', async () => {
    const [a, b, c] = await Promise.all([render('acceptance'), render('acceptance'), render('acceptance', new Date('2026-12-03T03:00:00Z'))]);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('prints the verification code: another code gives another document', async () => {
    const [a, b] = await Promise.all([render('receipt'), render('receipt', ISSUED, 'WXYZ-0000-1111-2222')]);
    expect(a.equals(b)).toBe(false);
  });

  it('continues a long list on further pages', async () => {
    // given a correction notice listing 80 items
    const items = Array.from({ length: 80 }, (_, i) => ({ material: `材料${i + 1}`, problem: '未加盖公章，请补充后重新提交。' }));
    const n = { kind: 'correction', data: NOTICE_DATA.correction.parse({ ...samples.correction, items }) } as AnyNoticeData;
    const layout = layoutNotice(n, { documentNumber: documentNumberOf(n, ISSUED), departmentName: '示范市市场监督管理局', issuedAt: ISSUED });
    // when
    const pdf = await renderer.render({ layout, verificationCode: 'ABCD-EFGH-JKMN-PQRS', verifyUrl: 'http://127.0.0.1:3001/verify/documents/ABCD-EFGH-JKMN-PQRS', sealOrgName: '示范市市场监督管理局', sealLabel: '行政审批专用章', issuedAt: ISSUED });
    // then
    expect((await PDFDocument.load(pdf)).getPageCount()).toBeGreaterThanOrEqual(3);
  });

  it('reads unicode-range lists with ranges, single points and wildcards', () => {
    expect(parseUnicodeRange('U+4e00-9fff, U+3000,U+1F1E?')).toEqual([
      [0x4e00, 0x9fff],
      [0x3000, 0x3000],
      [0x1f1e0, 0x1f1ef],
    ]);
  });
});
