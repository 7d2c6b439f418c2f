import { loadIdentityConfig } from '../config';
import { auditSettled, http, loginAs, startTestIdentity, type TestIdentity } from '../testing/test-app';
import { verifyAuditChain } from './verify-chain.command';

describe('audit trail (real PostgreSQL)', () => {
  let t: TestIdentity;
  beforeAll(async () => {
    t = await startTestIdentity();
    // some history: a success, a failure, an authorisation failure
    await loginAs(t, 'admin');
    await http(`${t.url}/auth/login`, { body: { username: 'nobody', password: 'x-wrong-password' } });
    await http(`${t.url}/audit`, { token: 'garbage' });
    await auditSettled(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('records logins, failures and authorisation refusals with who, what, when, where and outcome', async () => {
    // given
    const admin = await loginAs(t, 'admin');
    // when
    const res = await http<Array<{ action: string; outcome: string; ip: string | null; at: string; actor: string | null; actorLabel: string | null }>>(`${t.url}/audit?limit=50`, { token: admin.access_token });
    // then
    expect(res.status).toBe(200);
    const actions = res.body.map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toEqual(expect.arrayContaining(['auth.login:success', 'auth.login:failure', 'authz.denied:denied']));
    const failure = res.body.find((r) => r.action === 'auth.login' && r.outcome === 'failure')!;
    expect(failure.actorLabel).toBe('nobody');
    expect(failure.ip).toBeTruthy();
    expect(failure.at).toBeTruthy();
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the audit table to the application role', async () => {
    await expect(t.appQuery(`UPDATE audit_log SET outcome = 'success'`)).rejects.toThrow(/permission denied|append-only/);
    await expect(t.appQuery(`DELETE FROM audit_log`)).rejects.toThrow(/permission denied|append-only/);
    await expect(t.appQuery(`TRUNCATE audit_log`)).rejects.toThrow(/permission denied|append-only/);
  });

  it('refuses changes through the triggers even for the owner, also with session_replication_role = replica', async () => {
    await expect(t.ownerQuery(`UPDATE audit_log SET outcome = 'success' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(t.ownerQuery(`SET session_replication_role = replica; DELETE FROM audit_log WHERE seq = 1`)).rejects.toThrow(/append-only|permission denied/);
    await expect(t.ownerQuery(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
  });

  it('verifies an intact chain over HTTP and from the command', async () => {
    const admin = await loginAs(t, 'admin');
    const res = await http<{ ok: boolean; checked: number }>(`${t.url}/audit/verify`, { token: admin.access_token });
    expect(res.body.ok).toBe(true);
    expect(res.body.checked).toBeGreaterThanOrEqual(3);
    const cmd = await verifyAuditChain(loadIdentityConfig({ NODE_ENV: 'test' }).values, t.database);
    expect(cmd.ok).toBe(true);
  });

  it('catches an out-of-band edit made around the triggers', async () => {
    // given the owner disables the triggers and rewrites a failure into a success
    await t.ownerQuery(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`);
    await t.ownerQuery(`UPDATE audit_log SET outcome = 'success' WHERE seq = (SELECT min(seq) FROM audit_log WHERE outcome = 'failure')`);
    await t.ownerQuery(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update_delete`);
    // when
    const verdict = await verifyAuditChain(loadIdentityConfig({ NODE_ENV: 'test' }).values, t.database);
    // then
    expect(verdict.ok).toBe(false);
    expect(verdict).toMatchObject({ reason: 'record content does not match its hash' });
  });
});
