import { DEMO_ORGS } from '../seed/demo-data';
import { http, loginAs, startTestIdentity, type TestIdentity } from '../testing/test-app';

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

describe('delegation (授权) and AB-post backup (real PostgreSQL)', () => {
  let t: TestIdentity;
  let chief: string;
  let deputy: string;
  const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

  beforeAll(async () => {
    t = await startTestIdentity();
    chief = (await loginAs(t, 'chief.market')).access_token;
    deputy = (await loginAs(t, 'deputy.market')).access_token;
  });
  afterAll(async () => {
    await t.close();
  });

  async function delegate(body: Record<string, unknown>, token = chief) {
    return http<{ id: string; endsAt: string }>(`${t.url}/delegations`, { token, body: { toUsername: 'deputy.market', orgCode: DEMO_ORGS.marketRegistry.code, roles: ['section_chief'], mode: 'delegation', endsAt: inDays(7), reason: '出差', ...body } });
  }

  it('lets a chief delegate to a deputy for a bounded time; the deputy acts with both names marked 授权', async () => {
    // given
    const d = await delegate({});
    expect(d.status).toBe(201);
    // when
    const res = await http<{ access_token: string; expires_in: number }>(`${t.url}/auth/token/delegated`, { token: deputy, body: { delegationId: d.body.id } });
    // then
    expect(res.status).toBe(200);
    const c = claims(res.body.access_token);
    const chiefId = claims(chief)['sub'];
    expect(c).toMatchObject({ sub: chiefId, roles: ['section_chief'], orgs: [DEMO_ORGS.marketRegistry.code], act: { sub: claims(deputy)['sub'], name: '副科长陈静' }, del: { id: d.body.id, mode: 'delegation' } });
    const audit = await t.ownerQuery<{ actor_label: string }>(`SELECT actor_label FROM audit_log WHERE action = 'auth.delegated-token' AND outcome = 'success'`);
    expect(audit[0].actor_label).toBe('副科长陈静（授权：处长李强）');
  });

  it('stops the delegated token at the end of the delegation', async () => {
    const d = await delegate({ endsAt: new Date(Date.now() + 20_000).toISOString() });
    const res = await http<{ access_token: string; expires_in: number }>(`${t.url}/auth/token/delegated`, { token: deputy, body: { delegationId: d.body.id } });
    expect(res.body.expires_in).toBeLessThanOrEqual(20);
    expect(claims(res.body.access_token)['exp']).toBeLessThanOrEqual(Math.ceil(new Date(d.body.endsAt).getTime() / 1000));
  });

  it('refuses the delegated token once the delegation is revoked', async () => {
    const d = await delegate({});
    expect((await http(`${t.url}/delegations/${d.body.id}`, { method: 'DELETE', token: chief })).status).toBe(200);
    const res = await http(`${t.url}/auth/token/delegated`, { token: deputy, body: { delegationId: d.body.id } });
    expect(res.status).toBe(403);
    expect(res.body['error']).toBe('NoActiveDelegation');
  });

  it('refuses a delegation not yet started, and one used by someone else', async () => {
    const future = await delegate({ startsAt: inDays(1), endsAt: inDays(3) });
    expect((await http(`${t.url}/auth/token/delegated`, { token: deputy, body: { delegationId: future.body.id } })).status).toBe(403);
    const d = await delegate({});
    const stranger = (await loginAs(t, 'handler.resources')).access_token;
    expect((await http(`${t.url}/auth/token/delegated`, { token: stranger, body: { delegationId: d.body.id } })).status).toBe(403);
  });

  it('refuses delegations that are unbounded, by a non-chief, or of a role not held', async () => {
    expect((await delegate({ endsAt: inDays(90) })).status).toBe(400);
    expect((await delegate({ endsAt: new Date(Date.now() - 1000).toISOString() })).status).toBe(400);
    const handler = (await loginAs(t, 'handler.market')).access_token;
    const notChief = await delegate({ roles: ['handler'] }, handler);
    expect(notChief.status).toBe(403);
    expect(notChief.body['error' as keyof typeof notChief.body]).toBe('NotAChief');
    const notHeld = await delegate({ roles: ['leader'] });
    expect(notHeld.status).toBe(403);
  });

  it('supports AB-post backup within the same organisation only', async () => {
    const handler = (await loginAs(t, 'handler.market')).access_token;
    const ok = await delegate({ mode: 'ab_post', roles: ['handler'], endsAt: inDays(180), reason: 'AB岗' }, handler);
    expect(ok.status).toBe(201);
    const tok = await http<{ access_token: string }>(`${t.url}/auth/token/delegated`, { token: deputy, body: { delegationId: ok.body.id } });
    expect(claims(tok.body.access_token)['del']).toMatchObject({ mode: 'ab_post' });
    const other = await delegate({ mode: 'ab_post', roles: ['handler'], toUsername: 'handler.resources', endsAt: inDays(30) }, handler);
    expect(other.status).toBe(400);
  });

  it('records actions under delegation with both names (a seal applied by the deputy)', async () => {
    // given the leader delegates sealing authority to the chief
    const leader = (await loginAs(t, 'leader.market')).access_token;
    const d = await http<{ id: string }>(`${t.url}/delegations`, { token: leader, body: { toUsername: 'chief.market', orgCode: DEMO_ORGS.market.code, roles: ['leader'], mode: 'delegation', endsAt: inDays(2), reason: '休假' } });
    const tok = await http<{ access_token: string }>(`${t.url}/auth/token/delegated`, { token: chief, body: { delegationId: d.body.id } });
    // when
    const sealed = await http<{ jws: string }>(`${t.url}/seals/documents`, { token: tok.body.access_token, body: { orgCode: DEMO_ORGS.market.code, documentCode: 'DELEG-1', sha256: 'e'.repeat(64) } });
    // then
    expect(sealed.status).toBe(201);
    const lookup = await http<{ sealedBy: { person: string } }>(`${t.url}/verify/documents/DELEG-1`);
    expect(lookup.body.sealedBy.person).toBe('处长李强（授权：分管领导周华）');
  });

  it('needs an Idempotency-Key and creates one delegation per key', async () => {
    // given
    const body = { toUsername: 'deputy.market', orgCode: DEMO_ORGS.marketRegistry.code, roles: ['section_chief'], mode: 'delegation', endsAt: inDays(3), reason: '培训' };
    // when
    const missing = await http(`${t.url}/delegations`, { token: chief, body, headers: { 'idempotency-key': '' } });
    const first = await http<{ id: string }>(`${t.url}/delegations`, { token: chief, body, headers: { 'idempotency-key': 'deleg-retry-0001' } });
    const retry = await http<{ id: string }>(`${t.url}/delegations`, { token: chief, body, headers: { 'idempotency-key': 'deleg-retry-0001' } });
    const reused = await http(`${t.url}/delegations`, { token: chief, body: { ...body, reason: '别的' }, headers: { 'idempotency-key': 'deleg-retry-0001' } });
    // then
    expect(missing.status).toBe(400);
    expect(first.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(reused.status).toBe(409);
    const rows = await t.ownerQuery(`SELECT 1 FROM delegations WHERE reason = '培训'`);
    expect(rows).toHaveLength(1);
  });

  it('does not let a delegated token be delegated again', async () => {
    const d = await delegate({});
    const tok = await http<{ access_token: string }>(`${t.url}/auth/token/delegated`, { token: deputy, body: { delegationId: d.body.id } });
    const again = await http(`${t.url}/auth/token/delegated`, { token: tok.body.access_token, body: { delegationId: d.body.id } });
    expect(again.status).toBe(403);
  });
});
