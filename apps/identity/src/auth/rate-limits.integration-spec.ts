import { PgRateLimitStore } from '@gov/auth';
import { DataSource } from 'typeorm';
import { http, loginAs, startTestIdentity, type TestIdentity } from '../testing/test-app';

// Two replicas of identity on one database: the limits are counted in PostgreSQL, so they hold across replicas.
// Budgets are small and the window long (an hour) so the test never depends on when a minute ends.
describe('rate limits by client and by account, shared by replicas (real PostgreSQL)', () => {
  const env = {
    RATE_LIMIT_WINDOW_SECONDS: '3600',
    LOGIN_RATE_PER_MINUTE_PER_USER: '3',
    LOGIN_RATE_PER_MINUTE_PER_IP: '12',
    REGISTER_RATE_PER_MINUTE_PER_IP: '2',
    PUBLIC_RATE_PER_MINUTE_PER_IP: '4',
  };
  let a: TestIdentity;
  let b: TestIdentity;
  let admin: string;

  beforeAll(async () => {
    a = await startTestIdentity(env);
    b = await startTestIdentity(env, { reuseDatabase: a.database });
    admin = (await loginAs(b, 'admin')).access_token;
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const login = (t: TestIdentity, username: string, password = 'wrong-password') => http(`${t.url}/auth/login`, { body: { username, password } });

  it("locks one account after its failures without blocking another account from the same address", async () => {
    // given one account failing again and again from this address (an office behind one NAT)
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await login(a, 'guesser.target')).status);
    // then that account is refused after its budget of 3
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    // when a colleague logs in from the same address
    const colleague = await login(a, 'zhangsan', a.config.DEMO_PASSWORD);
    // then they get in: the refused attempts did not use up the address's budget
    expect(colleague.status).toBe(200);
  });

  it('answers 429 with Retry-After in seconds and a message saying when to retry', async () => {
    // given the account of the previous test is over its budget
    // when
    const res = await login(a, 'guesser.target');
    // then
    expect(res.status).toBe(429);
    expect(res.body['error']).toBe('TooManyRequests');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(String(res.body['message'])).toMatch(/username.*retry after \d+ s, at \d{4}-\d{2}-\d{2}T/);
  });

  it('holds an account limit across two replicas', async () => {
    // when attempts for one account alternate between the replicas
    const first = [await login(a, 'spread.target'), await login(b, 'spread.target'), await login(a, 'spread.target')];
    const fourth = await login(b, 'spread.target');
    // then the budget of 3 is shared: the fourth, on the other replica, is refused
    expect(first.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(fourth.status).toBe(429);
  });

  it('holds an address limit across two replicas', async () => {
    // given the address used 8 of its 12 login attempts above (admin, 3 + 1 + 3; refusals for an account do not count)
    // when distinct accounts try, alternating replicas
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(i % 2 === 0 ? a : b, `someone.${i}`)).status);
    // then the address's 12 are shared by both replicas
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('limits applicant registration (a scrypt hash each) per address', async () => {
    const register = (t: TestIdentity, username: string) => http(`${t.url}/applicants/register`, { body: { username, displayName: '测试', password: 'long-enough-pw', applicantKind: 'person', applicantId: '123' } });
    const statuses = [(await register(a, 'reg.one')).status, (await register(b, 'reg.two')).status, (await register(a, 'reg.three')).status];
    expect(statuses).toEqual([400, 400, 429]);
  });

  it('limits every other public route per address, but not health checks', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await http(`${(i % 2 === 0 ? a : b).url}/ca/chain`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    for (let i = 0; i < 6; i++) expect((await http(`${a.url}/health/live`)).status).toBe(200);
  });

  it('does not limit authenticated routes by the public budget', async () => {
    for (let i = 0; i < 6; i++) expect((await http(`${a.url}/users/me`, { token: admin })).status).toBe(200);
  });

  it('prunes windows that have ended', async () => {
    await a.ownerQuery(`INSERT INTO rate_limits (key, window_start, window_seconds, hits) VALUES ('old:client:x:60', now() - interval '2 hours', 60, 5)`);
    const pruned = await new PgRateLimitStore(a.app.get(DataSource)).prune();
    expect(pruned).toBeGreaterThanOrEqual(1);
    expect(await a.ownerQuery(`SELECT 1 FROM rate_limits WHERE key = 'old:client:x:60'`)).toHaveLength(0);
  });
});
