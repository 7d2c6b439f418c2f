import { strToU8, zipSync } from 'fflate';
import { IntakeErrors } from '../../errors';
import { type Refusal, type TestIntake, fieldsNamed, http, startTestIntake, tokenOf } from '../../testing/test-app';
import { DOCX_TYPE, PDF_TYPE, docxDocument, pdfDocument } from './documents';

const OFFICER = 'handler.market';
const APPLICANT = 'zhangsan';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a10000000049454e44ae426082', 'hex');

describe('template files over HTTP', () => {
  let t: TestIntake;
  const tokens: Record<string, string> = {};
  const upload = (file: string, bytes: Uint8Array, type: string, user = OFFICER, headers: Record<string, string> = {}) =>
    http<Refusal & { sha256: string; url: string }>(`${t.url}/catalogue/templates/${file}`, { method: 'POST', token: tokens[user], rawBody: bytes, headers: { 'content-type': type, ...headers } });
  const count = async () => (await t.ownerQuery<{ n: string }>('SELECT count(*)::text AS n FROM matter_templates'))[0].n;

  beforeAll(async () => {
    t = await startTestIntake();
    for (const user of [OFFICER, APPLICANT]) tokens[user] = await tokenOf(user);
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores an uploaded PDF and DOCX once, and the guide serves them with their content types', async () => {
    // given
    const pdf = pdfDocument({ title: '经营场所平面布局图（2027 版）', paragraphs: ['样例'] });
    const docx = docxDocument({ title: '食品安全管理制度（2027 版）', paragraphs: ['范本'] });
    const key = 'template-upload-1';
    // when
    const first = await upload('premises-plan-2027.pdf', pdf, PDF_TYPE, OFFICER, { 'idempotency-key': key });
    const retry = await upload('premises-plan-2027.pdf', pdf, PDF_TYPE, OFFICER, { 'idempotency-key': key });
    const again = await upload('premises-plan-2027.pdf', pdf, PDF_TYPE);
    const word = await upload('food-safety-rules-2027.docx', docx, DOCX_TYPE);
    const served = await fetch(`${t.url}/guide/templates/premises-plan-2027.pdf`);
    const servedWord = await fetch(`${t.url}/guide/templates/food-safety-rules-2027.docx`);
    // then
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ url: '/guide/templates/premises-plan-2027.pdf', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(again.status).toBe(409);
    expect(again.body.error).toBe(IntakeErrors.code.TemplateExists);
    expect(word.status).toBe(201);
    expect(served.headers.get('content-type')).toBe(PDF_TYPE);
    expect(Buffer.from(await served.arrayBuffer()).equals(pdf)).toBe(true);
    expect(servedWord.headers.get('content-type')).toBe(DOCX_TYPE);
  });

  it('checks the content, not the name: disguised files, zips that are no DOCX and mismatched types are refused', async () => {
    const before = await count();
    const zip = zipSync({ 'readme.txt': strToU8('not a document') });
    // when
    const pngAsPdf = await upload('disguised.pdf', PNG, PDF_TYPE);
    const zipAsDocx = await upload('disguised.docx', zip, DOCX_TYPE);
    const pdfAsDocx = await upload('mismatch.docx', pdfDocument({ title: 'x', paragraphs: [] }), DOCX_TYPE);
    const wrongType = await upload('mismatch.pdf', pdfDocument({ title: 'x', paragraphs: [] }), DOCX_TYPE);
    const truncated = await upload('truncated.docx', Buffer.from('PK\x03\x04garbage', 'latin1'), DOCX_TYPE);
    const empty = await upload('empty.pdf', new Uint8Array(0), PDF_TYPE);
    // then
    for (const r of [pngAsPdf, zipAsDocx, pdfAsDocx, wrongType, truncated, empty]) {
      expect(r.status).toBe(415);
      expect(r.body.error).toBe(IntakeErrors.code.TemplateContentMismatch);
    }
    expect(await count()).toBe(before);
  });

  it('refuses bad names, built-in names, oversize files, other media types, applicants and a missing key', async () => {
    const pdf = pdfDocument({ title: 'x', paragraphs: [] });
    // when
    const traversal = await upload('..%2Fetc.pdf', pdf, PDF_TYPE);
    const upper = await upload('Plan.pdf', pdf, PDF_TYPE);
    const builtIn = await upload('premises-plan.pdf', pdf, PDF_TYPE);
    const huge = await upload('huge.pdf', Buffer.concat([pdf, Buffer.alloc(6 * 1024 * 1024)]), PDF_TYPE);
    const plain = await upload('plain.pdf', pdf, 'text/plain');
    const applicant = await upload('mine.pdf', pdf, PDF_TYPE, APPLICANT);
    const noKey = await upload('nokey.pdf', pdf, PDF_TYPE, OFFICER, { 'idempotency-key': '' });
    // then
    expect(traversal.status).toBe(400);
    expect(fieldsNamed(traversal.body)).toContain('param.file');
    expect(upper.status).toBe(400);
    expect(builtIn.status).toBe(409);
    expect(huge.status).toBe(413);
    expect(huge.body.error).toBe(IntakeErrors.code.TemplateTooLarge);
    expect(plain.status).toBe(415);
    expect(applicant.status).toBe(403);
    expect(noKey.status).toBe(400);
  });
});
