import { creditCodeCheckChar } from '@gov/contracts';
import { generateTotp } from '@gov/auth';
import { DEMO_ORGS } from '../seed/demo-data';
import { auditSettled, http, loginAs, startTestIdentity, type TestIdentity } from '../testing/test-app';

const code = (s: string) => s + creditCodeCheckChar(s);

describe('organisations and officers administration (real PostgreSQL)', () => {
  let t: TestIdentity;
  let admin: string;
  beforeAll(async () => {
    t = await startTestIdentity();
    admin = (await loginAs(t, 'admin')).access_token;
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the organisation tree: city → counties → township, departments and sections', async () => {
    const res = await http<Array<{ code: string; children: Array<{ code: string; kind: string; children: Array<{ code: string }> }> }>>(`${t.url}/organisations`, { token: admin });
    expect(res.body).toHaveLength(1);
    const city = res.body[0];
    expect(city.code).toBe(DEMO_ORGS.city.code);
    const dongcheng = city.children.find((c) => c.code === DEMO_ORGS.dongcheng.code);
    expect(dongcheng?.children.map((c) => c.code)).toEqual(expect.arrayContaining([DEMO_ORGS.qingshi.code, DEMO_ORGS.dcMarket.code]));
    expect(city.children.filter((c) => c.kind === 'department')).toHaveLength(7);
  });

  it('creates a section with a valid unified code and refuses a bad check character', async () => {
    const good = code('11449900000000141');
    const ok = await http(`${t.url}/organisations`, { token: admin, body: { code: good, name: '环评审批科', kind: 'section', parentCode: DEMO_ORGS.ecology.code, divisionCode: '449900' } });
    const badCheck = good.slice(0, 17) + (good[17] === 'A' ? 'B' : 'A');
    const bad = await http(`${t.url}/organisations`, { token: admin, body: { code: badCheck, name: 'x', kind: 'section', parentCode: DEMO_ORGS.ecology.code, divisionCode: '449900' } });
    expect(ok.status).toBe(201);
    expect(bad.status).toBe(400);
    expect(bad.body['error']).toBe('InvalidCreditCode');
  });

  it('lets a department delegate a matter down to a county, never upwards or sideways', async () => {
    const down = await http(`${t.url}/organisations/${DEMO_ORGS.market.code}/matter-delegations`, { token: admin, body: { toOrg: DEMO_ORGS.dcMarket.code, matterCode: 'SCJG-001' } });
    const up = await http(`${t.url}/organisations/${DEMO_ORGS.dcMarket.code}/matter-delegations`, { token: admin, body: { toOrg: DEMO_ORGS.market.code, matterCode: 'SCJG-001' } });
    expect(down.status).toBe(201);
    expect(up.status).toBe(400);
    const list = await http<unknown[]>(`${t.url}/organisations/${DEMO_ORGS.dcMarket.code}/matter-delegations`, { token: admin });
    expect(list.body).toHaveLength(1);
  });

  it('creates an officer who then logs in with the TOTP secret shown once, and audits the change', async () => {
    // given
    const created = await http<{ user: { id: string }; totpSecret: string }>(`${t.url}/users/officers`, {
      token: admin,
      body: { username: 'new.handler', displayName: '新承办人', password: 'a-long-password', roles: [{ orgCode: DEMO_ORGS.ecology.code, role: 'handler' }] },
    });
    expect(created.status).toBe(201);
    // when
    const login = await http(`${t.url}/auth/login`, { body: { username: 'new.handler', password: 'a-long-password', totp: generateTotp(created.body.totpSecret) } });
    // then
    expect(login.status).toBe(200);
    const audit = await t.ownerQuery(`SELECT 1 FROM audit_log WHERE action = 'user.create-officer' AND target = $1`, [created.body.user.id]);
    expect(audit).toHaveLength(1);
    const stored = await t.ownerQuery<{ totp_secret_enc: string }>(`SELECT totp_secret_enc FROM users WHERE username = 'new.handler'`);
    expect(stored[0].totp_secret_enc).not.toContain(created.body.totpSecret);
  });

  it('refuses administrative changes to non-administrators and audits the refusal', async () => {
    const handler = (await loginAs(t, 'handler.market')).access_token;
    const res = await http(`${t.url}/users/officers`, { token: handler, body: { username: 'x.y', displayName: 'x', password: 'a-long-password', roles: [{ orgCode: DEMO_ORGS.market.code, role: 'sysadmin' }] } });
    expect(res.status).toBe(403);
    await auditSettled(t);
    const audit = await t.ownerQuery(`SELECT 1 FROM audit_log WHERE action = 'authz.denied' AND target = '/users/officers' AND details->>'method' = 'POST'`);
    expect(audit).toHaveLength(1);
  });

  it('audits object-level refusals raised inside handlers', async () => {
    const other = (await loginAs(t, 'leader.resources')).access_token;
    await http(`${t.url}/seals/documents`, { token: other, body: { orgCode: DEMO_ORGS.market.code, documentCode: 'Y-1', sha256: 'a'.repeat(64) } });
    await auditSettled(t);
    const rows = await t.ownerQuery<{ details: { code: string } }>(`SELECT details FROM audit_log WHERE action = 'authz.denied' AND target = '/seals/documents' AND details->>'method' = 'POST'`);
    expect(rows[0]?.details.code).toBe('OutsideOrganisation');
  });

  it('unlocks a locked account', async () => {
    for (let i = 0; i < 5; i++) await http(`${t.url}/auth/login`, { body: { username: 'acme', password: 'wrong-password' } });
    expect((await http(`${t.url}/auth/login`, { body: { username: 'acme', password: t.config.DEMO_PASSWORD } })).status).toBe(423);
    const users = await http<Array<{ id: string; username: string }>>(`${t.url}/users?kind=applicant`, { token: admin });
    const acme = users.body.find((u) => u.username === 'acme')!;
    expect((await http(`${t.url}/users/${acme.id}/unlock`, { method: 'POST', token: admin })).status).toBe(204);
    expect((await http(`${t.url}/auth/login`, { body: { username: 'acme', password: t.config.DEMO_PASSWORD } })).status).toBe(200);
  });
});
