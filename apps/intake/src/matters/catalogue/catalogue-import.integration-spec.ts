import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { IntakeErrors } from '../../errors';
import { DEMO_MATTERS, DEMO_ORG_CODES } from '../../seed/demo-data';
import { type Refusal, type TestIntake, http, startTestIntake, tokenOf } from '../../testing/test-app';
import { MatterElementsSchema } from '../matter-version';
import { exportCsv } from './catalogue-io';

interface ImportRefusal extends Refusal {
  details?: Refusal['details'] & { rows?: Array<{ line: number; code: string | null; field: string; message: string }>; count?: number };
}
interface Imported {
  importId: string | null;
  drafted: Array<{ line: number; code: string; version: number }>;
  unchanged: Array<{ line: number; code: string }>;
}

const OFFICER = 'handler.market';
const HEAD = 'leader.market';
const OFFICE = 'office';
const ADMIN = 'admin';
const APPLICANT = 'zhangsan';

const food = DEMO_MATTERS[0];
const foodElements = MatterElementsSchema.parse(food.elements);
/** New market matters for the file, with unified codes of the city's catalogue. */
const newMatter = (n: number, overrides: Record<string, unknown> = {}) => ({ code: `449900-SCJG-${String(200 + n).padStart(3, '0')}`, tenantId: '449900', version: 1, elements: MatterElementsSchema.parse({ ...food.elements, name: `导入事项${n}`, ...overrides }) });

describe('catalogue import and export over HTTP', () => {
  let t: TestIntake;
  const tokens: Record<string, string> = {};
  const csv = (text: string, user = OFFICER, headers: Record<string, string> = {}) =>
    http<Imported & ImportRefusal>(`${t.url}/catalogue/import`, { method: 'POST', token: tokens[user], rawBody: Buffer.from(text, 'utf8'), headers: { 'content-type': 'text/csv; charset=utf-8', ...headers } });
  const counts = async () => (await t.ownerQuery<{ v: string; m: string; c: string }>('SELECT (SELECT count(*) FROM matter_versions)::text AS v, (SELECT count(*) FROM matters)::text AS m, (SELECT count(*) FROM matter_changes)::text AS c'))[0];

  beforeAll(async () => {
    t = await startTestIntake({ CATALOGUE_IMPORT_MAX_BYTES: '400000' });
    for (const user of [OFFICER, HEAD, OFFICE, ADMIN, APPLICANT]) tokens[user] = await tokenOf(user);
  });
  afterAll(async () => {
    await t.close();
  });

  it('exports the whole catalogue as JSON and CSV, and an unchanged re-import drafts nothing', async () => {
    // when
    const json = await http<{ format: string; matters: Array<{ code: string; version: number; elements: unknown }> }>(`${t.url}/catalogue/export`, { token: tokens[OFFICE] });
    const csvRes = await fetch(`${t.url}/catalogue/export?format=csv`, { headers: { authorization: `Bearer ${tokens[OFFICE]}` } });
    const text = await csvRes.text();
    const again = await csv(text, ADMIN);
    // then
    expect(json.status).toBe(200);
    expect(json.body.format).toBe('gov.intake.catalogue/1');
    expect(json.body.matters.map((m) => m.code)).toEqual(DEMO_MATTERS.map((m) => m.code).sort());
    expect(json.body.matters.find((m) => m.code === food.code)?.elements).toEqual(JSON.parse(JSON.stringify(foodElements)));
    expect(csvRes.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(text.trimEnd().split('\r\n')).toHaveLength(DEMO_MATTERS.length + 1);
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ importId: null, drafted: [], unchanged: expect.any(Array) });
    expect(again.body.unchanged).toHaveLength(DEMO_MATTERS.length);
  });

  it('exports only what the officer\'s organisations handle', async () => {
    // when
    const res = await http<{ matters: Array<{ elements: { departmentCode: string } }> }>(`${t.url}/catalogue/export`, { token: tokens[OFFICER] });
    const applicant = await http(`${t.url}/catalogue/export`, { token: tokens[APPLICANT] });
    // then
    expect(res.body.matters.length).toBeGreaterThan(0);
    expect(res.body.matters.every((m) => m.elements.departmentCode === DEMO_ORG_CODES.marketRegistry)).toBe(true);
    expect(applicant.status).toBe(403);
  });

  it('refuses a 上报件 row without its higher-level department (reportsTo), and reads a file written before the column', async () => {
    // given a county-style matter reporting up to the city with no reportsTo, and the same file without the column
    const upward = { ...newMatter(9), elements: { ...newMatter(9).elements, reportsUpTo: 'city' as const, reportsTo: null } };
    const before = await counts();
    const file = exportCsv([upward]);
    const records: string[][] = parse(file, { bom: true });
    const at = records[0]?.indexOf('reportsTo') ?? -1;
    const withoutColumn = stringify(records.map((r) => r.filter((_, i) => i !== at)), { record_delimiter: '\r\n' });
    // when
    const res = await csv(file);
    const old = await csv(withoutColumn);
    // then
    expect(at).toBeGreaterThan(0);
    expect(res.status).toBe(422);
    expect(res.body.details?.rows).toEqual([expect.objectContaining({ line: 2, code: '449900-SCJG-209', field: 'reportsTo', message: expect.stringMatching(/reportsTo is required when reportsUpTo is set/) })]);
    expect(old.status).toBe(422);
    expect(old.body.details?.rows).toEqual([expect.objectContaining({ line: 2, field: 'reportsTo' })]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a CSV with a bad row: the line and the reason, and NOTHING is imported', async () => {
    // given three new matters, a change, and on line 4 a matter whose promised limit exceeds the statutory one
    const rows = [newMatter(1), newMatter(2), { ...newMatter(3), elements: { ...newMatter(3).elements, promisedWorkingDays: 30 } }, { ...food, version: 1, elements: { ...foodElements, promisedWorkingDays: 5 } }];
    const before = await counts();
    // when
    const res = await csv(exportCsv(rows));
    // then
    expect(res.status).toBe(422);
    expect(res.body.error).toBe(IntakeErrors.code.ImportRejected);
    expect(res.body.message).toMatch(/nothing was imported/);
    expect(res.body.details?.rows).toEqual([{ line: 4, code: '449900-SCJG-203', field: 'promisedWorkingDays', message: 'promisedWorkingDays: the promised limit cannot exceed the statutory limit' }]);
    expect(await counts()).toEqual(before);
    expect((await http(`${t.url}/matters/449900-SCJG-201`)).status).toBe(404);
  });

  it('reports every bad row of a file at once, each with its line', async () => {
    // given a duplicate code, a department outside the officer's organisations, a code that is not unified, a bad cell
    const rows = exportCsv([newMatter(1), newMatter(1), newMatter(4, { departmentCode: DEMO_ORG_CODES.housing }), { ...newMatter(5), code: 'NOT-UNIFIED' }]).trimEnd().split('\r\n');
    rows.push(rows[1].replace(/,20,7,/, ',x,7,'));
    rows.push(rows[1].replace('449900-SCJG-201', '449900-SCJG-209').replace('""name"":""营业执照""', '""name"":""营业\\u0000执照""'));
    rows.push(rows[1].replace('449900-SCJG-201', '449900-SCJG-208').replace('""name"":""营业执照""', '""name"":""\\ud800""'));
    // when
    const res = await csv(rows.join('\r\n'));
    // then
    expect(res.status).toBe(422);
    expect(res.body.details?.rows?.map((r) => [r.line, r.field])).toEqual([
      [3, 'code'],
      [4, 'departmentCode'],
      [5, 'code'],
      [6, 'statutoryWorkingDays'],
      [7, 'elements.materials[0].name'],
      [8, 'elements.materials[0].name'],
    ]);
    expect(res.body.details?.count).toBe(6);
  });

  it('imports a good file as drafts with one import id, which go through the procedure together', async () => {
    // given
    const file = exportCsv([newMatter(1), newMatter(2), { ...food, version: 1, elements: { ...foodElements, promisedWorkingDays: 5 } }]);
    // when
    const res = await csv(file);
    // then
    expect(res.status).toBe(201);
    expect(res.body.drafted).toEqual([
      { line: 2, code: '449900-SCJG-201', version: 1 },
      { line: 3, code: '449900-SCJG-202', version: 1 },
      { line: 4, code: food.code, version: 2 },
    ]);
    const importId = res.body.importId!;
    expect(importId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await http(`${t.url}/matters/449900-SCJG-201`)).status).toBe(404);
    // and publishing the import before the head approved it is refused, for all of it
    const step = (action: string, user: string, body: unknown = {}) => http<Array<{ code: string; state: string }> & Refusal>(`${t.url}/catalogue/imports/${importId}/${action}`, { method: 'POST', token: tokens[user], body });
    expect((await step('submit', OFFICER)).body.map((r) => r.state)).toEqual(['submitted', 'submitted', 'submitted']);
    const early = await step('publish', OFFICER);
    expect(early.status).toBe(409);
    expect(early.body.error).toBe(IntakeErrors.code.HeadApprovalRequired);
    expect((await step('approve', HEAD)).status).toBe(200);
    expect((await step('file', OFFICE)).status).toBe(200);
    const published = await step('publish', OFFICER);
    expect(published.body.map((r) => r.state)).toEqual(['published', 'published', 'published']);
    expect((await http(`${t.url}/matters/449900-SCJG-201`)).status).toBe(200);
    expect((await http(`${t.url}/matters/${food.code}`)).body).toMatchObject({ version: 2, timeLimitWorkingDays: 5 });
    const changes = await t.ownerQuery<{ action: string }>(`SELECT action FROM matter_changes WHERE code = '449900-SCJG-201' ORDER BY chain_seq`);
    expect(changes.map((c) => c.action)).toEqual(['imported', 'submitted', 'approved', 'filed', 'published']);
  });

  it('imports JSON too, numbering entries from 1, and replays a retried import', async () => {
    // given
    const key = 'catalogue-import-json-1';
    const body = { format: 'gov.intake.catalogue/1', matters: [{ code: '449900-SCJG-210', tenantId: '449900', elements: { ...food.elements, name: 'JSON 导入' } }] };
    const bad = { matters: [{ code: '449900-SCJG-211', tenantId: '449900', elements: food.elements }, { code: '449900-SCJG-212', tenantId: '449900', elements: { ...food.elements, kind: '其他' } }] };
    // when
    const first = await http<Imported>(`${t.url}/catalogue/import`, { token: tokens[OFFICER], body, headers: { 'idempotency-key': key } });
    const retry = await http<Imported>(`${t.url}/catalogue/import`, { token: tokens[OFFICER], body, headers: { 'idempotency-key': key } });
    const refused = await http<ImportRefusal>(`${t.url}/catalogue/import`, { token: tokens[OFFICER], body: bad });
    // then
    expect(first.status).toBe(201);
    expect(first.body.drafted).toEqual([{ line: 1, code: '449900-SCJG-210', version: 1 }]);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(refused.status).toBe(422);
    expect(refused.body.details?.rows?.map((r) => [r.line, r.field])).toEqual([[2, 'kind']]);
    expect(await t.ownerQuery(`SELECT 1 FROM matters WHERE code = '449900-SCJG-211'`)).toEqual([]);
  });

  it('refuses files that are no catalogue, bad encodings, media types, sizes, callers and keys', async () => {
    const header = exportCsv([]).replace(/^\ufeff/, '').trimEnd();
    const before = await counts();
    // when
    const unclosed = await csv(`${header}\r\n"unclosed`);
    const missing = await csv('code,name\r\nA,B\r\n');
    const empty = await csv('');
    const latin1 = await http<Refusal>(`${t.url}/catalogue/import`, { method: 'POST', token: tokens[OFFICER], rawBody: Buffer.from([0x63, 0x6f, 0x64, 0x65, 0xe9, 0x0a]), headers: { 'content-type': 'text/csv' } });
    const gbk = await csv(header, OFFICER, { 'content-type': 'text/csv; charset=gbk' });
    const plain = await http<Refusal>(`${t.url}/catalogue/import`, { method: 'POST', token: tokens[OFFICER], rawBody: header, headers: { 'content-type': 'text/plain' } });
    const tooLarge = await csv(`${header}\r\n${'x'.repeat(500_000)}`);
    const noKey = await csv(header, OFFICER, { 'idempotency-key': '' });
    const applicant = await csv(header, APPLICANT);
    const jsonNotCatalogue = await http<ImportRefusal>(`${t.url}/catalogue/import`, { token: tokens[OFFICER], body: { matters: 'all' } });
    const badImportId = await http<Refusal>(`${t.url}/catalogue/imports/not-a-uuid/submit`, { method: 'POST', token: tokens[OFFICER], body: {} });
    const badAction = await http<Refusal>(`${t.url}/catalogue/imports/00000000-0000-4000-8000-000000000000/delete`, { method: 'POST', token: tokens[OFFICER], body: {} });
    const noImport = await http<Refusal>(`${t.url}/catalogue/imports/00000000-0000-4000-8000-000000000000/submit`, { method: 'POST', token: tokens[OFFICER], body: {} });
    // then
    expect([unclosed.status, unclosed.body.details?.rows?.[0]?.line]).toEqual([422, 2]);
    expect([missing.status, missing.body.details?.rows?.[0]?.line]).toEqual([422, 1]);
    expect(missing.body.message).toMatch(/missing columns/);
    expect(empty.status).toBe(422);
    expect(latin1.status).toBe(400);
    expect(gbk.status).toBe(415);
    expect(plain.status).toBe(415);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toBe(IntakeErrors.code.ImportTooLarge);
    expect(noKey.status).toBe(400);
    expect(applicant.status).toBe(403);
    expect(jsonNotCatalogue.status).toBe(422);
    expect(badImportId.status).toBe(400);
    expect(badAction.status).toBe(400);
    expect(noImport.status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});
