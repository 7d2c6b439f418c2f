import { IntakeErrors } from '../errors';
import { DEMO_MATTERS } from '../seed/demo-data';
import { DEMO_MATTER, KIT_TEXT_CODE, type Refusal, type TestIntake, fieldsNamed, http, startTestIntake } from '../testing/test-app';

describe('the matter catalogue over HTTP', () => {
  let t: TestIntake;

  beforeAll(async () => {
    t = await startTestIntake();
    await t.ownerQuery(
      `INSERT INTO matters (code, name, kind, department_code, tenant_id, process_key, time_limit_working_days, active) VALUES ('TEST-RETIRED-001', '已停办事项', '备案', '11449900000000111Y', '449900', 'skeleton-approval', 3, false)`,
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the active matters to anyone, without a token', async () => {
    // when
    const res = await http<Array<{ code: string; departmentCode: string; tenantId: string }>>(`${t.url}/matters`);
    // then
    expect(res.status).toBe(200);
    expect(res.body.map((m) => m.code)).toEqual(DEMO_MATTERS.filter((m) => !m.elements.secret).map((m) => m.code).sort());
    const food = DEMO_MATTERS[0];
    expect(res.body.find((m) => m.code === food.code)).toMatchObject({
      code: food.code,
      name: food.elements.name,
      kind: food.elements.kind,
      departmentCode: food.elements.departmentCode,
      tenantId: food.tenantId,
      processKey: food.elements.processKey,
      timeLimitWorkingDays: food.elements.promisedWorkingDays,
      version: 1,
      category: food.elements.category,
      levels: food.elements.levels,
      statutoryWorkingDays: food.elements.statutoryWorkingDays,
      onlineClass: 'A',
      guide: `/guide/matters/${food.code}`,
    });
  });

  it('shows one active matter to anyone', async () => {
    // when
    const res = await http(`${t.url}/matters/${DEMO_MATTER}`);
    // then
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: DEMO_MATTER, tenantId: '449900', timeLimitWorkingDays: 7 });
  });

  it('answers 404 for a matter that is unknown or no longer accepted', async () => {
    for (const code of ['NO-SUCH-MATTER', 'TEST-RETIRED-001']) {
      // when
      const res = await http(`${t.url}/matters/${code}`);
      // then
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: IntakeErrors.code.MatterNotFound, details: { field: 'param.code' } });
    }
  });

  it('never shows a secret matter publicly', async () => {
    // given the demo catalogue's secret matter, in force
    const secret = DEMO_MATTERS.find((m) => m.elements.secret === true);
    expect(secret).toBeDefined();
    // when
    const list = await http<Array<{ code: string }>>(`${t.url}/matters`);
    const one = await http(`${t.url}/matters/${secret?.code}`);
    // then
    expect(list.body.map((m) => m.code)).not.toContain(secret?.code);
    expect(one.status).toBe(404);
  });

  it('refuses a malformed code with a 400 naming the parameter', async () => {
    for (const code of ['%00', 'demo-scjg-001', 'DEMO%20SCJG', '%F0%9F%98%80', 'X'.repeat(65)]) {
      // when
      const res = await http<Refusal>(`${t.url}/matters/${code}`);
      // then
      expect(res.status).toBe(400);
      expect(code === '%00' ? [IntakeErrors.code.InvalidMatterCode, KIT_TEXT_CODE] : [IntakeErrors.code.InvalidMatterCode]).toContain(res.body.error);
      expect(fieldsNamed(res.body)).toContain('param.code');
    }
    // A path that is not even UTF-8 (an encoded lone surrogate) is refused by the router before the pipe.
    expect((await http(`${t.url}/matters/%ED%A0%80`)).status).toBe(400);
  });
});
