import { DEMO_ORGS } from '../seed/demo-data';
import { auditSettled, http, loginAs, startTestIdentity, type TestIdentity } from '../testing/test-app';

// Identity's own causes of 500 seen in the hardening round: each is now a 4xx that names the field and changes nothing.
describe('identity bad input: ids, instants, the seal race and ill-formed text', () => {
  let t: TestIdentity;
  let admin: string;

  beforeAll(async () => {
    t = await startTestIdentity();
    admin = (await loginAs(t, 'admin')).access_token;
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a non-UUID user id on role grants, role revocations and unlocks with 400 naming the id', async () => {
    // given
    const grant = { orgCode: DEMO_ORGS.market.code, role: 'handler' };
    // when
    const results = [
      await http(`${t.url}/users/0/roles`, { token: admin, body: grant }),
      await http(`${t.url}/users/not-a-uuid/roles`, { method: 'DELETE', token: admin, body: grant }),
      await http(`${t.url}/users/${'1'.repeat(36)}/unlock`, { method: 'POST', token: admin }),
      await http(`${t.url}/users/0`, { token: admin }),
    ];
    // then
    for (const res of results) {
      expect(res.status).toBe(400);
      expect(res.body['error']).toBe('InvalidParameter');
      expect(String(res.body['message'])).toContain('param.id');
    }
  });

  it('refuses delegation dates that are not full instants with 400 naming the field, and stores nothing', async () => {
    // given
    const chief = (await loginAs(t, 'chief.market')).access_token;
    const body = { toUsername: 'deputy.market', orgCode: DEMO_ORGS.marketRegistry.code, roles: ['section_chief'], mode: 'delegation', reason: '出差' };
    const before = await t.ownerQuery<{ n: string }>('SELECT count(*) AS n FROM delegations');
    // when
    const week = await http(`${t.url}/delegations`, { token: chief, body: { ...body, endsAt: '2027-W01' } });
    const basic = await http(`${t.url}/delegations`, { token: chief, body: { ...body, endsAt: '20270101' } });
    const start = await http(`${t.url}/delegations`, { token: chief, body: { ...body, startsAt: '2027-02-30T09:00:00+08:00', endsAt: '2027-03-03T09:00:00+08:00' } });
    // then
    for (const [res, field] of [[week, 'endsAt'], [basic, 'endsAt'], [start, 'startsAt']] as const) {
      expect(res.status).toBe(400);
      expect(String(res.body['message'])).toContain(field);
    }
    expect(await t.ownerQuery<{ n: string }>('SELECT count(*) AS n FROM delegations')).toEqual(before);
  });

  it('answers concurrent seals of one document code with different content with one 201 and 409s, never a 500', async () => {
    // given
    const leader = (await loginAs(t, 'leader.market')).access_token;
    // when eight requests race for one code, each with its own content
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => http(`${t.url}/seals/documents`, { token: leader, body: { orgCode: DEMO_ORGS.market.code, documentCode: 'RACE-2026-1', sha256: String(i).repeat(64) } })),
    );
    // then
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(results.find((r) => r.status === 409)?.body['error']).toBe('DocumentCodeTaken');
    expect(await t.ownerQuery(`SELECT 1 FROM sealed_documents WHERE document_code = 'RACE-2026-1'`)).toHaveLength(1);
  });

  it('replays concurrent seals of one document code with the same content', async () => {
    const leader = (await loginAs(t, 'leader.market')).access_token;
    const results = await Promise.all(Array.from({ length: 4 }, () => http<{ jws: string }>(`${t.url}/seals/documents`, { token: leader, body: { orgCode: DEMO_ORGS.market.code, documentCode: 'RACE-2026-2', sha256: 'd'.repeat(64) } })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.jws)).size).toBe(1);
  });

  it('refuses a registration whose display name holds a lone surrogate with 400 naming displayName, and stores nothing', async () => {
    // given
    const body = { username: 'lone.surrogate', displayName: '张\ud800', password: 'long-enough-pw', applicantKind: 'person', applicantId: '11010519491231002X' };
    // when
    const res = await http(`${t.url}/applicants/register`, { body });
    // then
    expect(res.status).toBe(400);
    expect(String(res.body['message'])).toContain('displayName');
    expect(await t.ownerQuery(`SELECT 1 FROM users WHERE username = 'lone.surrogate'`)).toHaveLength(0);
  });

  it('stores exactly the display name that was sent', async () => {
    const displayName = '张三𠀀 (Zhang) é';
    const res = await http<{ id: string; displayName: string }>(`${t.url}/applicants/register`, { body: { username: 'exact.name', displayName, password: 'long-enough-pw', applicantKind: 'person', applicantId: '110105194912310011' } });
    expect(res.status).toBe(201);
    expect(res.body.displayName).toBe(displayName);
    const rows = await t.ownerQuery<{ display_name: string }>(`SELECT display_name FROM users WHERE id = $1`, [res.body.id]);
    expect(rows[0].display_name).toBe(displayName);
  });

  it('lists users with their roles and records the listing as a personal-data export', async () => {
    // when
    const res = await http<Array<{ username: string; kind: string; roles: Array<{ orgCode: string; role: string }> }>>(`${t.url}/users`, { token: admin });
    // then
    expect(res.status).toBe(200);
    expect(res.body.find((u) => u.username === 'chief.market')?.roles).toEqual([{ orgCode: DEMO_ORGS.marketRegistry.code, role: 'section_chief' }]);
    expect(res.body.find((u) => u.username === 'zhangsan')?.roles).toEqual([]);
    await auditSettled(t);
    const rows = await t.ownerQuery<{ details: { category: string; records: number } }>(`SELECT details FROM audit_log WHERE action = 'users.list'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].details).toMatchObject({ category: 'personal-data-export', records: res.body.length });
  });
});
