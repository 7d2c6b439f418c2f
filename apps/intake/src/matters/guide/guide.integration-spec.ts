import { IntakeErrors } from '../../errors';
import { DEMO_MATTERS, DEMO_ORG_CODES } from '../../seed/demo-data';
import { DEMO_MATTER, KIT_TEXT_CODE, type Refusal, type TestIntake, fieldsNamed, http, startTestIntake } from '../../testing/test-app';

interface Page {
  items: Array<{ code: string; kind: string; levels: string[]; department: { code: string }; commitment: boolean; guide: string }>;
  total: number;
  limit: number;
  offset: number;
}

const publicMatters = DEMO_MATTERS.filter((m) => m.elements.secret !== true);
const secret = DEMO_MATTERS.find((m) => m.elements.secret === true)!;

describe('the public service guide over HTTP', () => {
  let t: TestIntake;

  beforeAll(async () => {
    t = await startTestIntake();
  });
  afterAll(async () => {
    await t.close();
  });

  it("shows a matter's guide to anyone, every element in the applicant's words", async () => {
    // when
    const res = await http<Record<string, unknown> & { materials: Array<Record<string, unknown>>; timeLimits: { text: string }; online: Record<string, unknown>; result: { text: string } }>(`${t.url}/guide/matters/${DEMO_MATTER}`);
    // then
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      code: DEMO_MATTER,
      version: 1,
      name: '食品经营许可（演示）',
      kind: '审批',
      category: '行政许可',
      department: { code: DEMO_ORG_CODES.marketRegistry, name: '示范市市场监督管理局登记注册处' },
      handledBy: '市级、区县级办理；已下放区县级办理',
      feesText: '不收费',
      consultation: expect.stringContaining('0799-12345'),
      complaint: expect.stringContaining('政务服务管理办公室'),
      online: { class: 'A', canApplyOnline: true },
      form: { schema: `/guide/matters/${DEMO_MATTER}/form`, printable: `/guide/matters/${DEMO_MATTER}/form?format=pdf` },
      commitment: null,
    });
    expect(res.body.timeLimits.text).toBe('法定办结时限 20 个工作日，承诺办结时限 7 个工作日（承办人审查 4 个工作日，处室负责人审核 1 个工作日，分管领导审批 2 个工作日）；自受理之日起计算。');
    expect(res.body.result.text).toBe('食品经营许可证，有效期 5 年，无需年检');
    expect(res.body.materials.find((m) => m.key === 'safetyRules')).toMatchObject({ requirement: '必须提交；原件 1 份；可容缺受理，须在容缺期限内补齐', template: '/guide/templates/food-safety-rules.docx', mayBeDeferred: true });
    expect(res.body.materials.find((m) => m.key === 'businessLicence')).toMatchObject({ fromIssuedLicence: '已在本平台领取营业执照电子证照的，免予提交', accepts: 'PDF、JPG、PNG 格式，单个文件不超过 20 MB' });
  });

  it('shows fees, the joint-window bundle, step limits and why a matter is not online', async () => {
    // when
    const fees = await http<{ fees: Array<{ standard: string }>; feesText: string }>(`${t.url}/guide/matters/DEMO-ZRZY-003`);
    const bundle = await http<{ bundle: Array<{ code: string; name: string; department: { code: string } }> }>(`${t.url}/guide/matters/DEMO-ZJ-002`);
    const land = await http<{ timeLimits: { steps: Array<{ name: string; workingDays: number }> } }>(`${t.url}/guide/matters/DEMO-ZRZY-001`);
    const windowOnly = await http<{ online: { canApplyOnline: boolean; text: string } }>(`${t.url}/guide/matters/DEMO-GA-003`);
    const later = await http<{ online: { canApplyOnline: boolean; onlineFrom: string; text: string } }>(`${t.url}/guide/matters/DEMO-SW-002`);
    // then
    expect(fees.body.fees.map((f) => f.standard)).toEqual(['每件 80 元', '第一本免费，每增加一本 10 元']);
    expect(fees.body.feesText).toContain('不动产登记费（住宅）：每件 80 元');
    expect(bundle.body.bundle).toHaveLength(4);
    expect(new Set(bundle.body.bundle.map((m) => m.department.code)).size).toBe(4);
    expect(bundle.body.bundle.every((m) => m.name.length > 0)).toBe(true);
    // seed 001 text 3: 5 / 3 / 5 working days
    expect(land.body.timeLimits.steps.map((s) => s.workingDays)).toEqual([5, 3, 5]);
    expect(windowOnly.body.online).toMatchObject({ canApplyOnline: false, text: expect.stringContaining('window only') });
    expect(later.body.online).toMatchObject({ canApplyOnline: false, onlineFrom: '2027-03-01' });
  });

  it("names a 上报件's higher-level department, which reviews and signs off what the county accepts and issues", async () => {
    // when
    const upward = await http<{ handledBy: string; reportsTo: { code: string; name: string } | null }>(`${t.url}/guide/matters/DEMO-SCJG-010`);
    const plain = await http<{ reportsTo: unknown }>(`${t.url}/guide/matters/DEMO-ZRZY-001`);
    // then
    expect(upward.body.reportsTo).toEqual({ code: DEMO_ORG_CODES.marketRegistry, name: '示范市市场监督管理局（登记注册处）' });
    expect(upward.body.handledBy).toBe('区县级办理；由示范市市场监督管理局（登记注册处）审查决定（上报件），区县级受理并制发送达');
    expect(plain.body.reportsTo).toBeNull();
  });

  it('never shows a secret matter: not in the guide, the search or the commitment list', async () => {
    // when
    const one = await http<Refusal>(`${t.url}/guide/matters/${secret.code}`);
    const form = await http<Refusal>(`${t.url}/guide/matters/${secret.code}/form`);
    const all = await http<Page>(`${t.url}/guide/matters?limit=100&q=${encodeURIComponent('枪')}`);
    // then
    expect(one.status).toBe(404);
    expect(one.body.error).toBe(IntakeErrors.code.MatterNotFound);
    expect(form.status).toBe(404);
    expect(all.body.items.map((m) => m.code)).not.toContain(secret.code);
  });

  it('searches by department, level, kind and keyword, paged', async () => {
    // when
    const all = await http<Page>(`${t.url}/guide/matters?limit=100`);
    const page1 = await http<Page>(`${t.url}/guide/matters?limit=5&offset=0`);
    const page3 = await http<Page>(`${t.url}/guide/matters?limit=5&offset=10`);
    const police = await http<Page>(`${t.url}/guide/matters?department=${DEMO_ORG_CODES.police}`);
    const township = await http<Page>(`${t.url}/guide/matters?level=township`);
    const filings = await http<Page>(`${t.url}/guide/matters?kind=${encodeURIComponent('备案')}`);
    const keyword = await http<Page>(`${t.url}/guide/matters?q=${encodeURIComponent('环境影响')}`);
    const likeChars = await http<Page>(`${t.url}/guide/matters?q=${encodeURIComponent('%_')}`);
    // then
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(publicMatters.length);
    expect(all.body.items.map((m) => m.code)).toEqual(publicMatters.map((m) => m.code).sort());
    expect(page1.body).toMatchObject({ total: publicMatters.length, limit: 5, offset: 0 });
    expect(page1.body.items).toHaveLength(5);
    expect(page3.body.items.map((m) => m.code)).toEqual(all.body.items.slice(10, 15).map((m) => m.code));
    expect(police.body.items.map((m) => m.code).sort()).toEqual(publicMatters.filter((m) => m.elements.departmentCode === DEMO_ORG_CODES.police).map((m) => m.code).sort());
    expect(police.body.items.length).toBeGreaterThan(0);
    expect(township.body.items.every((m) => m.levels.includes('township'))).toBe(true);
    expect(township.body.items.map((m) => m.code)).toEqual(expect.arrayContaining(['DEMO-MZ-001']));
    expect(filings.body.items.map((m) => m.code)).toEqual(['DEMO-SW-001']);
    expect(keyword.body.items.map((m) => m.code)).toEqual(['DEMO-STHJ-001']);
    expect(likeChars.body).toMatchObject({ total: 0, items: [] });
  });

  it('refuses a malformed search with a 400 naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['offset=-1', 'offset'],
      ['level=province', 'level'],
      ['kind=other', 'kind'],
      ['department=abc', 'department'],
      ['commitment=yes', 'commitment'],
      [`q=${'长'.repeat(51)}`, 'q'],
      ['q=%20%20', 'q'],
      ['kind=a&kind=b', 'kind'],
      ['unknown=1', 'unknown'],
    ];
    for (const [query, field] of cases) {
      // when
      const res = await http<Refusal>(`${t.url}/guide/matters?${query}`);
      // then
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(fieldsNamed(res.body)).toContain(field);
    }
    const nul = await http<Refusal>(`${t.url}/guide/matters?q=%00`);
    expect(nul.status).toBe(400);
    expect([IntakeErrors.code.ValidationFailed, KIT_TEXT_CODE]).toContain(nul.body.error);
  });

  it('lists the notification-commitment matters with the commitment template', async () => {
    // when
    const res = await http<{ template: string; items: Array<{ code: string; template: string; verifyWithinWorkingDays: number }> }>(`${t.url}/guide/commitment`);
    const searched = await http<Page>(`${t.url}/guide/matters?commitment=true`);
    // then
    expect(res.status).toBe(200);
    expect(res.body.template).toBe('/guide/templates/commitment-letter.docx');
    expect(res.body.items).toEqual([expect.objectContaining({ code: 'DEMO-ZJ-003', template: '/guide/templates/commitment-letter.docx', verifyWithinWorkingDays: 20 })]);
    expect(searched.body.items.map((m) => m.code)).toEqual(['DEMO-ZJ-003']);
    const template = await fetch(`${t.url}${res.body.template}`);
    expect(template.status).toBe(200);
    expect(template.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(Buffer.from(await template.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
  });

  it('downloads the form as JSON Schema, PDF and DOCX, and material templates, with their content types', async () => {
    // when
    const schema = await fetch(`${t.url}/guide/matters/${DEMO_MATTER}/form`);
    const pdf = await fetch(`${t.url}/guide/matters/${DEMO_MATTER}/form?format=pdf`);
    const docx = await fetch(`${t.url}/guide/matters/${DEMO_MATTER}/form?format=docx`);
    const plan = await fetch(`${t.url}/guide/templates/premises-plan.pdf`);
    // then
    expect(schema.status).toBe(200);
    expect(schema.headers.get('content-type')).toMatch(/^application\/schema\+json/);
    expect(await schema.json()).toEqual(DEMO_MATTERS[0].elements.formSchema);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain(`${DEMO_MATTER}-form.pdf`);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(docx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(plan.status).toBe(200);
    expect(plan.headers.get('content-type')).toBe('application/pdf');
    expect(Number(plan.headers.get('content-length'))).toBeGreaterThan(500);
  });

  it('refuses unknown and malformed template names and form formats', async () => {
    // when
    const unknown = await http<Refusal>(`${t.url}/guide/templates/nothing-here.pdf`);
    const traversal = await http<Refusal>(`${t.url}/guide/templates/..%2F..%2Fetc%2Fpasswd`);
    const proto = await http<Refusal>(`${t.url}/guide/templates/__proto__`);
    const exe = await http<Refusal>(`${t.url}/guide/templates/form.exe`);
    const format = await http<Refusal>(`${t.url}/guide/matters/${DEMO_MATTER}/form?format=xls`);
    const badCode = await http<Refusal>(`${t.url}/guide/matters/bad%20code`);
    // then
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe(IntakeErrors.code.TemplateNotFound);
    for (const r of [traversal, proto, exe]) {
      expect(r.status).toBe(400);
      expect(fieldsNamed(r.body)).toContain('param.file');
    }
    expect(format.status).toBe(400);
    expect(fieldsNamed(format.body)).toContain('format');
    expect(badCode.status).toBe(400);
  });
});
