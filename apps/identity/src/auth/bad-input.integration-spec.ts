import { ACCESS_TOKEN_TYPE } from '@gov/auth';
import { SignJWT, base64url } from 'jose';
import { KeysService } from '../keys/keys.service';
import { auditSettled, http, loginAs, startTestIdentity, type TestIdentity } from '../testing/test-app';

// Each attack is refused with the right status and recorded (audit authz.denied), and the service keeps serving.
describe('bad input is refused, logged, and never crashes the service', () => {
  let t: TestIdentity;
  let keys: KeysService;

  beforeAll(async () => {
    t = await startTestIdentity();
    keys = t.app.get(KeysService);
  });
  afterAll(async () => {
    await t.close();
  });

  async function forge(opts: { typ?: string; aud?: string; iss?: string; iat?: number; exp?: number; kid?: string } = {}): Promise<string> {
    const { kid, key } = await keys.signingKey();
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ptype: 'officer', name: 'x', roles: ['sysadmin'], orgs: [] })
      .setProtectedHeader({ alg: 'EdDSA', typ: opts.typ ?? ACCESS_TOKEN_TYPE, kid: opts.kid ?? kid })
      .setIssuer(opts.iss ?? t.config.IDENTITY_ISSUER)
      .setAudience(opts.aud ?? t.config.IDENTITY_AUDIENCE)
      .setSubject('forged')
      .setJti('j1')
      .setIssuedAt(opts.iat ?? now)
      .setExpirationTime(opts.exp ?? now + 300)
      .sign(key);
  }

  async function me(token: string) {
    return http(`${t.url}/users/me`, { token });
  }

  async function deniedCount(): Promise<number> {
    const rows = await t.ownerQuery<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE action = 'authz.denied'`);
    return Number(rows[0].n);
  }

  it('refuses a request without a token with 401', async () => {
    const res = await http(`${t.url}/users/me`);
    expect(res.status).toBe(401);
    expect(res.body['error']).toBe('MissingToken');
  });

  it('refuses malformed tokens with 401', async () => {
    for (const token of ['abc', 'a.b.c', 'eyJhbGciOiJFZERTQSJ9.e30.', `${'x'.repeat(9000)}.a.b`, 'ä.ö.ü', 'a..b']) {
      const res = await http(`${t.url}/users/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
    }
  });

  it('refuses a token with alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
    const payload = base64url.encode(JSON.stringify({ iss: t.config.IDENTITY_ISSUER, aud: t.config.IDENTITY_AUDIENCE, sub: 'x', jti: 'j', iat: now, exp: now + 300, ptype: 'officer', roles: ['sysadmin'], orgs: [] }));
    const res = await me(`${header}.${payload}.`);
    expect(res.status).toBe(401);
  });

  it('refuses an HS256 token keyed with the published public key', async () => {
    // given the attacker takes the public JWK from the JWKS and uses it as an HMAC secret
    const jwks = await http<{ keys: Array<{ kid: string; x: string }> }>(`${t.url}/.well-known/jwks.json`);
    const pub = jwks.body.keys[0];
    const now = Math.floor(Date.now() / 1000);
    for (const secret of [Buffer.from(pub.x, 'base64url'), new TextEncoder().encode(JSON.stringify(pub))]) {
      const forged = await new SignJWT({ ptype: 'officer', name: 'x', roles: ['sysadmin'], orgs: [] })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: pub.kid })
        .setIssuer(t.config.IDENTITY_ISSUER)
        .setAudience(t.config.IDENTITY_AUDIENCE)
        .setSubject('attacker')
        .setJti('j')
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(secret);
      // when
      const res = await http(`${t.url}/keys`, { token: forged });
      // then
      expect(res.status).toBe(401);
      expect(res.body['error']).toBe('InvalidToken');
    }
  });

  it('refuses a wrong audience, issuer or type', async () => {
    expect((await me(await forge({ aud: 'another-platform' }))).status).toBe(401);
    expect((await me(await forge({ iss: 'http://evil.example' }))).status).toBe(401);
    const wrongType = await me(await forge({ typ: 'JWT' }));
    expect(wrongType.status).toBe(401);
    expect(wrongType.body['error']).toBe('WrongTokenType');
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await me(await forge({ iat: now - 900, exp: now - 600 }));
    expect(res.status).toBe(401);
    expect(res.body['error']).toBe('ExpiredToken');
  });

  it('refuses an unknown kid', async () => {
    const res = await me(await forge({ kid: 'unknown-kid' }));
    expect(res.status).toBe(401);
    expect(res.body['error']).toBe('UnknownKey');
  });

  it('refuses a valid token without the required role with 403', async () => {
    const clerk = await loginAs(t, 'clerk.market');
    const res = await http(`${t.url}/keys`, { token: clerk.access_token });
    expect(res.status).toBe(403);
    expect(res.body['error']).toBe('InsufficientRole');
  });

  it('logs every refusal in the audit trail', async () => {
    // given no refusal of an earlier test still on its way to the trail (they are audited in the background)
    await auditSettled(t);
    const before = await deniedCount();
    // when
    await me('a.b.c');
    await me(await forge({ kid: 'nope' }));
    // then
    await auditSettled(t);
    expect(await deniedCount()).toBe(before + 2);
  });

  it('refuses a bad resident ID and a bad credit code with 400 and changes nothing', async () => {
    const person = await http(`${t.url}/applicants/register`, { body: { username: 'bad.person', displayName: '王五', password: 'long-enough-pw', applicantKind: 'person', applicantId: '110105194912310021' } });
    const entity = await http(`${t.url}/applicants/register`, { body: { username: 'bad.company', displayName: '某公司', password: 'long-enough-pw', applicantKind: 'legal-entity', applicantId: '91350100M000100Y44' } });
    const short = await http(`${t.url}/applicants/register`, { body: { username: 'bad.short', displayName: '某', password: 'long-enough-pw', applicantKind: 'person', applicantId: '123' } });
    expect(person.status).toBe(400);
    expect(person.body['error']).toBe('InvalidResidentId');
    expect(entity.status).toBe(400);
    expect(entity.body['error']).toBe('InvalidCreditCode');
    expect(short.status).toBe(400);
    const rows = await t.ownerQuery(`SELECT 1 FROM users WHERE username LIKE 'bad.%'`);
    expect(rows).toHaveLength(0);
  });

  it('registers an applicant with a valid resident ID', async () => {
    const res = await http(`${t.url}/applicants/register`, { body: { username: 'wangwu', displayName: '王五', password: 'long-enough-pw', applicantKind: 'person', applicantId: '11010519491231002X' } });
    expect(res.status).toBe(201);
  });

  it('refuses a malformed JSON body with 400', async () => {
    const res = await fetch(`${t.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": ' });
    expect(res.status).toBe(400);
  });

  it('records every refusal of a flood far above the old per-IP budget, none reduced to a count, and keeps serving logins', async () => {
    // given
    await auditSettled(t);
    const before = await deniedCount();
    // when 300 junk requests arrive together from one address (the old budget chained 60 a minute and counted the rest)
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => me(`junk.${i}.token`)));
    await auditSettled(t);
    // then all are refused and every one of them is in the chain. (How many appends they took depends on how fast
    // they arrive against how fast PostgreSQL writes, so it is not asserted here; the BatchWriter unit test shows that
    // items queued together go in one write.)
    expect(results.every((r) => r.status === 401)).toBe(true);
    expect((await deniedCount()) - before).toBe(300);
    const rows = await t.ownerQuery<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE action = 'authz.denied' AND details->>'suppressedSinceLast' IS NOT NULL`);
    expect(Number(rows[0].n)).toBe(0);
    const verdict = await http<{ ok: boolean }>(`${t.url}/audit/verify`, { token: (await loginAs(t, 'admin')).access_token });
    expect(verdict.body.ok).toBe(true);
    const login = await http(`${t.url}/auth/login`, { body: { username: 'zhangsan', password: t.config.DEMO_PASSWORD } });
    expect(login.status).toBe(200);
  });

  it('is still healthy after all of it', async () => {
    expect((await http(`${t.url}/health/ready`)).status).toBe(200);
  });
});
