import { randomUUID } from 'node:crypto';
import { ApplicantKind, ApplicationReceived } from '@gov/contracts';
import { IntakeErrors } from '../errors';
import { APPLICANT_IDS, DEMO_MATTER, type HttpResult, KIT_TEXT_CODE, type Refusal, type TestIntake, USERS, applicationBody, fieldsNamed, http, publishTestMatter, startTestIntake, tokenOf } from '../testing/test-app';

interface Accepted {
  applicationId: string;
  caseNumber: string;
  status: string;
  matterCode: string;
}
interface Summary extends Accepted {
  departmentCode: string;
  applicant: { kind: string; id: string; name: string };
}
interface Page {
  items: Summary[];
  nextCursor: string | null;
}

// The city market bureau's registration section handles the demo matter; 东城区's market bureau handles this one.
const DONGCHENG_MARKET = '11449901000000011P';
const DONGCHENG_MATTER = 'TEST-DCSCJG-001';


function expectValidationRefusal(res: HttpResult<Refusal>, field: string, message: RegExp): void {
  expect(res.status).toBe(400);
  const named = fieldsNamed(res.body);
  if (res.body.error === KIT_TEXT_CODE) {
    // refused by the kit's text check at the edge, before validation (query values are named query.<name>)
    expect(named.filter((n) => n === field || n === `query.${field}`)).not.toEqual([]);
    return;
  }
  expect(res.body.error).toBe(IntakeErrors.code.ValidationFailed);
  expect(res.body.message).toMatch(message);
  expect(named).toContain(field);
}

describe('applications over HTTP', () => {
  let t: TestIntake;
  const tokens: Record<string, string> = {};

  const submit = (as: string, body: unknown = applicationBody(), key: string = randomUUID()) =>
    http<Accepted & Refusal>(`${t.url}/applications`, { token: tokens[as], body, headers: { 'idempotency-key': key } });
  const counts = async () => {
    const [row] = await t.ownerQuery<{ applications: number; outbox: number; keys: number }>(
      `SELECT (SELECT count(*)::int FROM applications) AS applications, (SELECT count(*)::int FROM outbox WHERE topic = 'intake.application.v1') AS outbox, (SELECT count(*)::int FROM idempotency_keys) AS keys`,
    );
    return row;
  };

  beforeAll(async () => {
    t = await startTestIntake();
    await publishTestMatter(t, DONGCHENG_MATTER, '449901', { name: '东城区食品经营许可（测试）', departmentCode: DONGCHENG_MARKET, promisedWorkingDays: 5 });
    for (const user of Object.values(USERS)) tokens[user] = await tokenOf(user);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('submitting', () => {
    it('receives an applicant applying for themself, with a case number in the matter tenant, a receipt and one outbox event', async () => {
      // given
      const before = await counts();
      // when
      const res = await submit(USERS.zhangsan);
      // then
      expect(res.status).toBe(201);
      expect(res.body.caseNumber).toMatch(/^449900-\d{8}-\d{6}$/);
      expect(res.body).toMatchObject({ status: 'received', channel: 'online', acceptedAt: null, matterCode: DEMO_MATTER, matterVersion: 1, timeLimitWorkingDays: 7, receipt: { materials: [] } });
      const outbox = await t.ownerQuery<{ topic: string; key: string; type: string; payload: { data: unknown } }>('SELECT topic, key, type, payload FROM outbox WHERE key = $1', [res.body.caseNumber]);
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ topic: 'intake.application.v1', type: 'gov.intake.application.received' });
      const data = ApplicationReceived.parse(outbox[0].payload.data);
      expect(data).toMatchObject({ caseNumber: res.body.caseNumber, applicationId: res.body.applicationId, channel: 'online', registeredBy: null, applicant: { kind: ApplicantKind.Person, id: APPLICANT_IDS.zhangsan } });
      expect(await counts()).toEqual({ applications: before.applications + 1, outbox: before.outbox + 1, keys: before.keys + 1 });
    });

    it('stores and publishes the form exactly as sent', async () => {
      // given a form with every kind of value the bounds allow
      const form = { businessPremises: '示范市东城区兴中道1号', businessScope: '热食类食品制售', 名称: '示范市东城区兴中道1号', staff: 0, area: -1.5, open: false, note: null, rooms: [1, 'two', null, { floor: ['3F'] }], owner: { contact: { phone: '0760-1234567' } }, empty: {}, blank: '', emoji: '😀' };
      // when
      const res = await submit(USERS.zhangsan, applicationBody({ form }));
      const read = await http<{ form: unknown }>(`${t.url}/applications/${res.body.applicationId}`, { token: tokens[USERS.zhangsan] });
      const [row] = await t.ownerQuery<{ form: unknown }>('SELECT form FROM applications WHERE id = $1', [res.body.applicationId]);
      // then (the accepted event carries it to approval: acceptance.integration-spec)
      expect(res.status).toBe(201);
      expect(read.body.form).toEqual(form);
      expect(row.form).toEqual(form);
    });

    it('registers a legal entity at the window of the organisation that handles the matter, recording the clerk', async () => {
      // when
      const res = await submit(USERS.clerk, applicationBody({ applicant: { kind: ApplicantKind.LegalEntity, id: APPLICANT_IDS.acme, name: '示范市东方贸易有限公司' }, materials: ['businessLicence', 'legalRepId'] }));
      // then
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'received', channel: 'window', receipt: { materials: [{ key: 'businessLicence', name: '营业执照' }, { key: 'legalRepId', name: '法定代表人（负责人）身份证明' }] } });
      const [row] = await t.ownerQuery<{ channel: string; registered_by: string | null }>('SELECT channel, registered_by FROM applications WHERE id = $1', [res.body.applicationId]);
      expect(row.channel).toBe('window');
      expect(row.registered_by).toEqual(expect.any(String));
    });

    it('takes the applicant from the token online: no need to repeat one\'s own ID', async () => {
      // given
      const { applicant: _a, ...body } = applicationBody();
      // when
      const res = await submit(USERS.zhangsan, body);
      const read = await http<Summary>(`${t.url}/applications/${res.body.applicationId}`, { token: tokens[USERS.zhangsan] });
      // then
      expect(res.status).toBe(201);
      expect(read.body.applicant).toMatchObject({ kind: ApplicantKind.Person, id: APPLICANT_IDS.zhangsan });
    });

    it("refuses a form that does not match the matter version's JSON Schema, naming the field and the rule", async () => {
      // given
      const before = await counts();
      // when
      const missing = await submit(USERS.zhangsan, applicationBody({ form: { businessPremises: '示范市东城区兴中道1号' } }));
      const wrongType = await submit(USERS.zhangsan, applicationBody({ form: { businessPremises: 42, businessScope: '热食类食品制售' } }));
      // then
      expectValidationRefusal(missing, 'form.businessScope', /form\.businessScope is required/);
      expect(missing.body.details?.fields?.[0]).toMatchObject({ field: 'form.businessScope', rule: 'jsonSchema.required' });
      expectValidationRefusal(wrongType, 'form.businessPremises', /form\.businessPremises must be string/);
      expect(await counts()).toEqual(before);
    });

    it('refuses a receipt naming a material the matter does not have, naming the field', async () => {
      // given
      const before = await counts();
      // when
      const res = await submit(USERS.zhangsan, applicationBody({ materials: ['noSuchSlot'] }));
      // then
      expectValidationRefusal(res, 'materials', /noSuchSlot, which is not a material of DEMO-SCJG-001/);
      expect(await counts()).toEqual(before);
    });

    it('refuses an applicant applying in the name of someone else, and a clerk of another organisation', async () => {
      // given
      const before = await counts();
      // when
      const forged = await submit(USERS.lisi, applicationBody());
      const otherOrg = await submit(USERS.otherClerk, applicationBody());
      const noRole = await submit(USERS.handler, applicationBody());
      const anonymous = await http<Refusal>(`${t.url}/applications`, { body: applicationBody() });
      // then
      expect(forged.status).toBe(403);
      expect(forged.body.error).toBe(IntakeErrors.code.NotOwnApplication);
      expect(otherOrg.status).toBe(403);
      expect(otherOrg.body.error).toBe(IntakeErrors.code.OutsideOrganisation);
      expect(noRole.status).toBe(403);
      expect(noRole.body.error).toBe(IntakeErrors.code.InsufficientRole);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error).toBe(IntakeErrors.code.MissingToken);
      expect(await counts()).toEqual(before);
    });

    it('refuses a matter that is not in the catalogue and an identifier whose check character is wrong', async () => {
      // given
      const before = await counts();
      // when
      const unknown = await submit(USERS.zhangsan, applicationBody({ matterCode: 'NO-SUCH-MATTER' }));
      const badChecksum = await submit(USERS.zhangsan, applicationBody({ applicant: { kind: ApplicantKind.Person, id: '449901198503120016', name: '张三' } }));
      const wrongKind = await submit(USERS.zhangsan, applicationBody({ applicant: { kind: ApplicantKind.LegalEntity, id: APPLICANT_IDS.zhangsan, name: '张三' } }));
      // then
      expect(unknown.status).toBe(422);
      expect(unknown.body).toMatchObject({ error: IntakeErrors.code.UnknownMatter, details: { field: 'matterCode' } });
      expect(unknown.body.message).toContain('GET /matters');
      expect(badChecksum.status).toBe(400);
      expect(badChecksum.body).toMatchObject({ error: IntakeErrors.code.InvalidResidentId, details: { field: 'applicant.id' } });
      expect(wrongKind.status).toBe(400);
      expect(wrongKind.body).toMatchObject({ error: IntakeErrors.code.InvalidCreditCode, details: { field: 'applicant.id' } });
      expect(await counts()).toEqual(before);
    });
  });

  describe('bad input', () => {
    const { applicant: _applicant, ...withoutApplicant } = applicationBody();
    const person = (name: unknown, id: unknown = APPLICANT_IDS.zhangsan, kind: unknown = ApplicantKind.Person) => applicationBody({ applicant: { kind, id, name } });
    const deep = { a: { b: { c: { d: { e: 'too deep' } } } } };
    const cases: Array<[string, unknown, string, RegExp]> = [
      ['an array for the applicant', applicationBody({ applicant: [] }), 'applicant', /applicant must be an object/],
      ['a string for the applicant', applicationBody({ applicant: 'zhangsan' }), 'applicant', /applicant must be an object/],
      ['another spelling of the applicant kind', person('张三', APPLICANT_IDS.zhangsan, 'legal_entity'), 'applicant.kind', /applicant\.kind must be 'person' or 'legal-entity'/],
      ['NUL in applicant.name', person('张\u0000三'), 'applicant.name', /applicant\.name must not contain NUL/],
      ['a lone surrogate in applicant.name', person('张\ud800'), 'applicant.name', /applicant\.name must be well-formed Unicode/],
      ['a line break in applicant.name', person('张\n三'), 'applicant.name', /applicant\.name must be a single line/],
      ['an empty applicant.name', person(''), 'applicant.name', /applicant\.name must be 1-200 characters/],
      ['a 60 KB applicant.name', person('张'.repeat(20_000)), 'applicant.name', /applicant\.name must be 1-200 characters/],
      ['a number for applicant.name', person(42), 'applicant.name', /applicant\.name must be a string/],
      ['NUL in applicant.id', person('张三', '44990119850312001\u0000'), 'applicant.id', /applicant\.id must be the 18-character/],
      ['no matterCode', applicationBody({ matterCode: undefined }), 'matterCode', /matterCode is required/],
      ['NUL in matterCode', applicationBody({ matterCode: 'DEMO-SCJG-001\u0000' }), 'matterCode', /matterCode must be a matter code/],
      ['a lone surrogate in matterCode', applicationBody({ matterCode: 'DEMO\ud800' }), 'matterCode', /matterCode must be a matter code/],
      ['a malformed matterCode', applicationBody({ matterCode: 'demo scjg' }), 'matterCode', /matterCode must be a matter code/],
      ['a number for matterCode', applicationBody({ matterCode: 1 }), 'matterCode', /matterCode is required/],
      ['no form', applicationBody({ form: undefined }), 'form', /form must be an object/],
      ['a null form', applicationBody({ form: null }), 'form', /form must be an object/],
      ['a string for the form', applicationBody({ form: 'nope' }), 'form', /form must be an object/],
      ['an array for the form', applicationBody({ form: ['a'] }), 'form', /form must be an object/],
      ['NUL in a form key', applicationBody({ form: { 'a\u0000': 'v' } }), 'form.a\\u0000', /form has a field name that is not allowed/],
      ['a lone surrogate in a form key', applicationBody({ form: { 'a\ud800': 'v' } }), 'form.a\\ud800', /form has a field name that is not allowed/],
      ['NUL in a form value', applicationBody({ form: { premises: { address: 'a\u0000b' } } }), 'form.premises.address', /form\.premises\.address must not contain NUL/],
      ['a lone surrogate in a form value', applicationBody({ form: { name: '张\ud800' } }), 'form.name', /form\.name must be well-formed Unicode/],
      ['a form nested too deeply', applicationBody({ form: deep }), 'form.a.b.c.d', /form\.a\.b\.c\.d is nested too deeply/],
      ['a form with too many fields', applicationBody({ form: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`f${i}`, i])) }), 'form', /at most 200 fields/],
      ['a 50 KB form value', applicationBody({ form: { note: 'x'.repeat(50_000) } }), 'form.note', /form\.note must be at most 4000 characters/],
      ['a nested constructor key in the form (class-transformer would throw)', applicationBody({ form: { premises: { constructor: 'x' } } }), 'form.premises.constructor', /form\.premises\.constructor is a reserved name/],
      ['a toString key in the form (class-transformer would drop it)', applicationBody({ form: { toString: 1 } }), 'form.toString', /form\.toString is a reserved name/],
      ['an unknown field', applicationBody({ priority: 'high' }), 'priority', /property priority should not exist/],
    ];

    it.each(cases)('refuses %s with a 400 naming the field, and stores nothing', async (_name, body, field, message) => {
      // given
      const before = await counts();
      // when
      const res = await submit(USERS.zhangsan, body);
      // then
      expectValidationRefusal(res, field, message);
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['no applicant', withoutApplicant],
      ['a null applicant', applicationBody({ applicant: null })],
    ])('refuses %s from a window clerk with a 400 naming the field, and stores nothing', async (_name, body) => {
      // given
      const before = await counts();
      // when
      const res = await submit(USERS.clerk, body);
      // then
      expectValidationRefusal(res, 'applicant', /applicant is required/);
      expect(await counts()).toEqual(before);
    });

    it('refuses a __proto__ key in the form instead of dropping it', async () => {
      // given
      const before = await counts();
      // when (a JSON text, since a JS object literal would set the prototype instead)
      const res = await http<Refusal>(`${t.url}/applications`, {
        token: tokens[USERS.zhangsan],
        rawBody: JSON.stringify(applicationBody()).replace('"form":{', '"form":{"__proto__":{"x":1},'),
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      });
      // then
      expectValidationRefusal(res, 'form.__proto__', /form\.__proto__ is a reserved name/);
      expect(await counts()).toEqual(before);
    });

    it('refuses a body that is not JSON', async () => {
      // when
      const res = await http<Refusal>(`${t.url}/applications`, { token: tokens[USERS.zhangsan], rawBody: '{"matterCode": ', headers: { 'content-type': 'application/json' } });
      // then
      expect(res.status).toBe(400);
      expect(res.body.error).toBe(IntakeErrors.code.MalformedBody);
    });

    it('refuses path parameters that are neither an application id nor a case number', async () => {
      for (const ref of ['%00', 'abc', '449900-2026-1', `${randomUUID()}x`, '%F0%9F%98%80']) {
        // when
        const res = await http<Refusal>(`${t.url}/applications/${ref}`, { token: tokens[USERS.zhangsan] });
        // then
        expect(res.status).toBe(400);
        expect([IntakeErrors.code.InvalidApplicationRef, KIT_TEXT_CODE]).toContain(res.body.error);
        expect(fieldsNamed(res.body)).toContain('param.id');
      }
    });

    it('refuses list queries that are out of range, malformed or unknown', async () => {
      // when
      const zero = await http<Refusal>(`${t.url}/applications?limit=0`, { token: tokens[USERS.zhangsan] });
      const huge = await http<Refusal>(`${t.url}/applications?limit=1000000`, { token: tokens[USERS.zhangsan] });
      const words = await http<Refusal>(`${t.url}/applications?limit=ten`, { token: tokens[USERS.zhangsan] });
      const badMatter = await http<Refusal>(`${t.url}/applications?matterCode=%00`, { token: tokens[USERS.zhangsan] });
      const cursor = await http<Refusal>(`${t.url}/applications?cursor=${Buffer.from('not|a cursor').toString('base64url')}`, { token: tokens[USERS.zhangsan] });
      const unknown = await http<Refusal>(`${t.url}/applications?sort=asc`, { token: tokens[USERS.zhangsan] });
      // then
      for (const res of [zero, huge, words]) expectValidationRefusal(res, 'limit', /limit must be a whole number from 1 to 100/);
      expectValidationRefusal(badMatter, 'matterCode', /matterCode must be a matter code/);
      expect(cursor.status).toBe(400);
      expect(cursor.body).toMatchObject({ error: IntakeErrors.code.InvalidCursor, details: { field: 'cursor' } });
      expectValidationRefusal(unknown, 'sort', /property sort should not exist/);
    });
  });

  describe('idempotency', () => {
    it('replays the same case for the same key and body, without a second application or event', async () => {
      // given
      const key = randomUUID();
      const first = await submit(USERS.zhangsan, applicationBody(), key);
      const before = await counts();
      // when
      const again = await submit(USERS.zhangsan, applicationBody(), key);
      // then
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await counts()).toEqual(before);
    });

    it('refuses the same key with another body with 409', async () => {
      // given
      const key = randomUUID();
      await submit(USERS.zhangsan, applicationBody(), key);
      const before = await counts();
      // when
      const reused = await submit(USERS.zhangsan, applicationBody({ form: { changed: true } }), key);
      // then
      expect(reused.status).toBe(409);
      expect(reused.body.error).toBe(IntakeErrors.code.IdempotencyKeyReused);
      expect(await counts()).toEqual(before);
    });

    it('refuses a missing or malformed key with 400', async () => {
      // given
      const before = await counts();
      // when
      const missing = await http<Refusal>(`${t.url}/applications`, { token: tokens[USERS.zhangsan], body: applicationBody(), headers: { 'idempotency-key': '' } });
      const malformed = await submit(USERS.zhangsan, applicationBody(), 'short');
      // then
      expect(missing.status).toBe(400);
      expect(missing.body.error).toBe(IntakeErrors.code.IdempotencyKeyMissing);
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toBe(IntakeErrors.code.IdempotencyKeyInvalid);
      expect(await counts()).toEqual(before);
    });

    it('accepts concurrent duplicates once: one application, one outbox row, the same case for all', async () => {
      // given
      const key = randomUUID();
      const before = await counts();
      // when
      const all = await Promise.all(Array.from({ length: 6 }, () => submit(USERS.zhangsan, applicationBody(), key)));
      // then
      expect(all.map((r) => r.status)).toEqual(Array(6).fill(201));
      expect(new Set(all.map((r) => r.body.caseNumber)).size).toBe(1);
      expect(await counts()).toEqual({ applications: before.applications + 1, outbox: before.outbox + 1, keys: before.keys + 1 });
    });

    it('keeps keys per caller: two applicants using one key get two cases', async () => {
      // given
      const key = randomUUID();
      // when
      const mine = await submit(USERS.zhangsan, applicationBody(), key);
      const theirs = await submit(USERS.lisi, applicationBody({ applicant: { kind: ApplicantKind.Person, id: APPLICANT_IDS.lisi, name: '李四' } }), key);
      // then
      expect(mine.status).toBe(201);
      expect(theirs.status).toBe(201);
      expect(theirs.body.caseNumber).not.toBe(mine.body.caseNumber);
    });
  });

  describe('reading', () => {
    let own: Accepted;
    let lisis: Accepted;
    let dongcheng: Accepted;

    beforeAll(async () => {
      own = (await submit(USERS.zhangsan)).body;
      lisis = (await submit(USERS.lisi, applicationBody({ applicant: { kind: ApplicantKind.Person, id: APPLICANT_IDS.lisi, name: '李四' } }))).body;
      const atDongcheng = await submit(USERS.otherClerk, applicationBody({ matterCode: DONGCHENG_MATTER, applicant: { kind: ApplicantKind.LegalEntity, id: APPLICANT_IDS.acme, name: '示范市东方贸易有限公司' } }));
      expect(atDongcheng.status).toBe(201);
      dongcheng = atDongcheng.body;
    });

    const list = (as: string, query = '') => http<Page>(`${t.url}/applications${query}`, { token: tokens[as] });
    const all = async (as: string): Promise<Summary[]> => {
      const items: Summary[] = [];
      let cursor: string | null = null;
      do {
        const page: HttpResult<Page> = await list(as, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        items.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      return items;
    };

    it('shows an applicant their own application by id and by case number, with its form', async () => {
      // when
      const byId = await http<Summary & { form: unknown }>(`${t.url}/applications/${own.applicationId}`, { token: tokens[USERS.zhangsan] });
      const byCase = await http<Summary & { form: unknown }>(`${t.url}/applications/${own.caseNumber}`, { token: tokens[USERS.zhangsan] });
      // then
      expect(byId.status).toBe(200);
      expect(byId.body).toMatchObject({ caseNumber: own.caseNumber, applicant: { kind: ApplicantKind.Person, id: APPLICANT_IDS.zhangsan, name: '张三' }, form: applicationBody().form });
      expect(byCase.body).toEqual(byId.body);
    });

    it('refuses another applicant and a clerk of another organisation, and answers 404 for an unknown case', async () => {
      // when
      const otherApplicant = await http<Refusal>(`${t.url}/applications/${own.caseNumber}`, { token: tokens[USERS.lisi] });
      const otherClerk = await http<Refusal>(`${t.url}/applications/${own.applicationId}`, { token: tokens[USERS.otherClerk] });
      const missing = await http<Refusal>(`${t.url}/applications/449900-19990101-000001`, { token: tokens[USERS.zhangsan] });
      const missingId = await http<Refusal>(`${t.url}/applications/${randomUUID()}`, { token: tokens[USERS.zhangsan] });
      const anonymous = await http<Refusal>(`${t.url}/applications/${own.caseNumber}`);
      // then
      expect(otherApplicant.status).toBe(403);
      expect(otherApplicant.body.error).toBe(IntakeErrors.code.NotOwnApplication);
      expect(otherClerk.status).toBe(403);
      expect(otherClerk.body.error).toBe(IntakeErrors.code.OutsideOrganisation);
      expect(missing.status).toBe(404);
      expect(missing.body.error).toBe(IntakeErrors.code.ApplicationNotFound);
      expect(missingId.status).toBe(404);
      expect(anonymous.status).toBe(401);
    });

    it('lists an applicant only their own applications, newest first, page by page', async () => {
      // when
      const mine = await all(USERS.zhangsan);
      const theirs = await all(USERS.lisi);
      // then
      expect(mine.length).toBeGreaterThan(2);
      expect(mine.every((a) => a.applicant.id === APPLICANT_IDS.zhangsan)).toBe(true);
      expect(mine[0].caseNumber).toBe(own.caseNumber);
      expect(new Set(mine.map((a) => a.applicationId)).size).toBe(mine.length);
      const [row] = await t.ownerQuery<{ n: number }>('SELECT count(*)::int AS n FROM applications WHERE applicant_id = $1', [APPLICANT_IDS.zhangsan]);
      expect(mine).toHaveLength(row.n);
      expect(theirs.map((a) => a.caseNumber)).toContain(lisis.caseNumber);
      expect(theirs.every((a) => a.applicant.id === APPLICANT_IDS.lisi)).toBe(true);
    });

    it("lists a clerk only their organisation's applications", async () => {
      // when
      const market = await all(USERS.clerk);
      const dongchengClerk = await all(USERS.otherClerk);
      const filtered = await list(USERS.clerk, `?matterCode=${DONGCHENG_MATTER}`);
      // then
      expect(market.map((a) => a.caseNumber)).toEqual(expect.arrayContaining([own.caseNumber, lisis.caseNumber]));
      expect(market.every((a) => a.departmentCode === '11449900000000111Y')).toBe(true);
      expect(dongchengClerk.map((a) => a.caseNumber)).toEqual([dongcheng.caseNumber]);
      expect(filtered.body).toEqual({ items: [], nextCursor: null });
      const [row] = await t.ownerQuery<{ n: number }>('SELECT count(*)::int AS n FROM applications WHERE matter_code = $1', [DEMO_MATTER]);
      expect(market).toHaveLength(row.n);
    });
  });

  it('wrote exactly one received event per stored application', async () => {
    // when
    const rows = await t.ownerQuery<{ case_number: string; events: number }>(
      `SELECT a.case_number, (SELECT count(*)::int FROM outbox o WHERE o.key = a.case_number AND o.type = 'gov.intake.application.received') AS events FROM applications a`,
    );
    const [outbox] = await t.ownerQuery<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE topic = 'intake.application.v1'");
    // then
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.events !== 1)).toEqual([]);
    expect(outbox.n).toBe(rows.length);
  });
});
