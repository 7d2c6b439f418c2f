import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtures } from '@gov/storage/testing';
import { strToU8, zipSync } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import { IntakeErrors } from '../errors';
import { DEMO_MATTER, type Refusal, type TestIntake, USERS, applicationBody, http, startTestIntake, tokenOf } from '../testing/test-app';

// Page counting of received PDFs and OFDs (apart from the service, bounded in time and memory) as the upload answers
// it: the pages recorded and listed on the receipt, or 422 MaterialUnreadable storing nothing.

interface Answer extends Refusal {
  materialId: string;
  contentType: string;
  pages: number | null;
  details?: Record<string, unknown>;
}
interface Receipt {
  slots: Array<{ key: string; files: Array<{ fileName: string; pages: number | null }> }>;
}

/** A test slot on the demo matter taking OFD and PDF. */
const SCAN_SLOT = { key: 'scan', name: '扫描件（测试）', required: false, form: 'copy', contentTypes: ['application/ofd', 'application/pdf'], maxBytes: 8 * 1024 * 1024 };
const TIMEOUT_MS = 1500;
const NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';

async function pdfOf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]);
  doc.setTitle(randomUUID());
  return Buffer.from(await doc.save());
}

function ofdOf(pages: number): Buffer {
  const list = Array.from({ length: pages }, (_, i) => `<ofd:Page ID="${i + 1}" BaseLoc="Pages/Page_${i}/Content.xml"/>`).join('');
  return Buffer.from(
    zipSync({
      'OFD.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ${NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`),
      'Doc_0/Document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><ofd:Document ${NS}><ofd:Pages>${list}</ofd:Pages></ofd:Document><!-- ${randomUUID()} -->`),
    }),
  );
}

describe('page counting of received materials over HTTP', () => {
  let t: TestIntake;
  let dir: string;
  const tokens: Record<string, string> = {};

  const apply = async (): Promise<string> => {
    const res = await http<{ caseNumber: string }>(`${t.url}/applications`, { token: tokens[USERS.zhangsan], body: applicationBody() });
    expect(res.status).toBe(201);
    return res.body.caseNumber;
  };
  const upload = (caseNumber: string, slot: string, bytes: Buffer, fileName: string) =>
    http<Answer>(`${t.url}/applications/${caseNumber}/materials/${slot}?fileName=${encodeURIComponent(fileName)}`, {
      token: tokens[USERS.zhangsan],
      rawBody: bytes,
      headers: { 'content-type': 'application/octet-stream', 'idempotency-key': randomUUID() },
    });
  const rows = (caseNumber: string) =>
    t.ownerQuery('SELECT m.id FROM application_materials m JOIN applications a ON a.id = m.application_id WHERE a.case_number = $1', [caseNumber]);
  const objects = async () => (await readdir(join(dir, 'objects'), { recursive: true }).catch(() => [] as string[])).sort();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'intake-pages-'));
    t = await startTestIntake({ MATERIALS_DIR: dir, MATERIALS_PAGE_COUNT_TIMEOUT_MS: String(TIMEOUT_MS) });
    await t.ownerQuery(
      `UPDATE matter_versions SET elements = jsonb_set(elements, '{materials}', (elements->'materials') || $1::jsonb) WHERE code = $2 AND version = 1`,
      [JSON.stringify([SCAN_SLOT]), DEMO_MATTER],
    );
    tokens[USERS.zhangsan] = await tokenOf(USERS.zhangsan);
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records the pages of a PDF and of an OFD and lists them on the receipt', async () => {
    // given
    const caseNumber = await apply();
    // when
    const pdf = await upload(caseNumber, 'premisesPlan', await pdfOf(3), '平面布局图.pdf');
    const ofd = await upload(caseNumber, 'scan', ofdOf(2), '扫描件.ofd');
    const png = await upload(caseNumber, 'legalRepId', fixtures.png(), '身份证.png');
    // then
    expect([pdf.status, ofd.status, png.status]).toEqual([201, 201, 201]);
    expect([pdf.body.pages, ofd.body.pages, png.body.pages]).toEqual([3, 2, null]);
    expect(ofd.body.contentType).toBe('application/ofd');
    const receipt = await http<Receipt>(`${t.url}/applications/${caseNumber}/materials`, { token: tokens[USERS.zhangsan] });
    const pagesOf = (slot: string) => receipt.body.slots.find((s) => s.key === slot)?.files.map((f) => [f.fileName, f.pages]);
    expect(pagesOf('premisesPlan')).toEqual([['平面布局图.pdf', 3]]);
    expect(pagesOf('scan')).toEqual([['扫描件.ofd', 2]]);
  });

  it.each([
    ['a PDF whose page tree holds no page', () => Buffer.from(fixtures.pdf().toString('latin1').replace('/Kids [3 0 R] /Count 1', '/Kids [] /Count 0'), 'latin1'), 'unreadable', /no page/],
    ['a PDF that is a header and nothing else', () => Buffer.from('%PDF-1.7\n%%EOF\n', 'latin1'), 'unreadable', /page tree/],
    ['an OFD whose document lists no page', () => ofdOf(0), 'unreadable', /no page/],
    // a crafted file: a page tree, then megabytes of noise pdf-lib reads as objects for many seconds
    ['a PDF that takes longer than the limit to read', () => Buffer.concat([fixtures.pdf('slow'), randomBytes(3 * 1024 * 1024)]), 'timeout', new RegExp(`longer than ${TIMEOUT_MS} ms`)],
  ])('refuses %s with 422 MaterialUnreadable, storing nothing', async (_what, make, reason, message) => {
    // given
    const caseNumber = await apply();
    const before = await objects();
    const started = Date.now();
    // when
    const res = await upload(caseNumber, 'scan', make(), 'doc.bin');
    // then
    expect(res.status).toBe(422);
    expect(res.body.error).toBe(IntakeErrors.code.MaterialUnreadable);
    expect(res.body.message).toMatch(message);
    expect(res.body.message).toMatch(/save it again/);
    expect(res.body.details).toMatchObject({ slotKey: 'scan', reason });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 8000);
    expect(await rows(caseNumber)).toEqual([]);
    expect(await objects()).toEqual(before);
  });

  it('keeps answering other requests while a slow PDF is being counted, and counts the next upload', async () => {
    // given a slow PDF on its way
    const caseNumber = await apply();
    const slow = upload(caseNumber, 'scan', Buffer.concat([fixtures.pdf('slow again'), randomBytes(3 * 1024 * 1024)]), 'slow.pdf');
    await new Promise((r) => setTimeout(r, 300));
    // when other requests arrive meanwhile
    const t0 = Date.now();
    const receipt = await http<Receipt>(`${t.url}/applications/${caseNumber}/materials`, { token: tokens[USERS.zhangsan] });
    const answeredIn = Date.now() - t0;
    // then they are answered without waiting for the count, and the upload after it is counted
    expect(receipt.status).toBe(200);
    expect(answeredIn).toBeLessThan(1000);
    expect((await slow).status).toBe(422);
    const next = await upload(caseNumber, 'scan', await pdfOf(4), 'next.pdf');
    expect(next.status).toBe(201);
    expect(next.body.pages).toBe(4);
  });
});
