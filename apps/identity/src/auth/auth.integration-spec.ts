import { generateTotp } from '@gov/auth';
import { demoTotpSecret } from '@gov/auth/testing';
import { decodeProtectedHeader } from 'jose';
import { DEMO_APPLICANTS, DEMO_ORGS } from '../seed/demo-data';
import { http, loginAs, startTestIdentity, type TestIdentity } from '../testing/test-app';

describe('login, tokens, refresh and logout (real PostgreSQL)', () => {
  let t: TestIdentity;
  beforeAll(async () => {
    t = await startTestIdentity({ LOGIN_MAX_FAILURES: '3' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves discovery and a JWKS with the signing key', async () => {
    // when
    const disco = await http<{ issuer: string; jwks_uri: string }>(`${t.url}/.well-known/openid-configuration`);
    const jwks = await http<{ keys: Array<{ kid: string; kty: string; crv: string; d?: string }> }>(`${t.url}/.well-known/jwks.json`);
    // then
    expect(disco.status).toBe(200);
    expect(disco.body.issuer).toBe(t.config.IDENTITY_ISSUER);
    expect(jwks.body.keys.length).toBeGreaterThanOrEqual(1);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(jwks.body.keys[0].d).toBeUndefined();
  });

  it('logs an officer in with password and TOTP and returns a short-lived EdDSA access token with roles and scopes', async () => {
    // when
    const tokens = await loginAs(t, 'handler.market');
    const me = await http<{ username: string; roles: unknown[] }>(`${t.url}/users/me`, { token: tokens.access_token });
    // then
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: t.config.IDENTITY_ISSUER, aud: 'gov-platform', ptype: 'officer', roles: ['handler'], orgs: [DEMO_ORGS.marketRegistry.code] });
    expect((claims['exp'] as number) - (claims['iat'] as number)).toBe(t.config.ACCESS_TOKEN_TTL_SECONDS);
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('handler.market');
  });

  it('expands a department role to its sections and a region role to everything below it', async () => {
    const leader = await loginAs(t, 'leader.market');
    const claims = JSON.parse(Buffer.from(leader.access_token.split('.')[1], 'base64url').toString()) as { orgs: string[] };
    expect(claims.orgs.sort()).toEqual([DEMO_ORGS.market.code, DEMO_ORGS.marketRegistry.code].sort());
    const sup = await loginAs(t, 'supervisor');
    const supClaims = JSON.parse(Buffer.from(sup.access_token.split('.')[1], 'base64url').toString()) as { orgs: string[] };
    expect(supClaims.orgs).toContain(DEMO_ORGS.dcMarket.code);
  });

  it("limits the county supervisor's token to the county and what lies below it", async () => {
    const county = await loginAs(t, 'supervisor.dongcheng');
    const claims = JSON.parse(Buffer.from(county.access_token.split('.')[1], 'base64url').toString()) as { roles: string[]; orgs: string[] };
    expect(claims.roles).toEqual(['supervisor']);
    expect(claims.orgs.sort()).toEqual([DEMO_ORGS.dongcheng.code, DEMO_ORGS.qingshi.code, DEMO_ORGS.dcMarket.code].sort());
    expect(claims.orgs).not.toContain(DEMO_ORGS.market.code);
  });

  it('requires a second factor from officers', async () => {
    const res = await http(`${t.url}/auth/login`, { body: { username: 'chief.market', password: t.config.DEMO_PASSWORD } });
    expect(res.status).toBe(401);
    expect(res.body['error']).toBe('SecondFactorRequired');
  });

  it('refuses a TOTP code that was already used', async () => {
    // given a code used once
    const now = Date.now();
    const code = generateTotp(demoTotpSecret('handler.tax'), now);
    const first = await http(`${t.url}/auth/login`, { body: { username: 'handler.tax', password: t.config.DEMO_PASSWORD, totp: code } });
    // when it is replayed
    const replay = await http(`${t.url}/auth/login`, { body: { username: 'handler.tax', password: t.config.DEMO_PASSWORD, totp: code } });
    // then
    expect(first.status).toBe(200);
    expect(replay.status).toBe(401);
  });

  it('logs an applicant in with a password only; the token carries the applicant id', async () => {
    const res = await http<{ access_token: string }>(`${t.url}/auth/login`, { body: { username: 'zhangsan', password: t.config.DEMO_PASSWORD } });
    expect(res.status).toBe(200);
    const claims = JSON.parse(Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ ptype: 'applicant', roles: ['applicant'], orgs: [], aid: DEMO_APPLICANTS[0].applicantId });
  });

  it('rotates refresh tokens on use and revokes the login when a rotated token is replayed', async () => {
    // given
    const first = await loginAs(t, 'clerk.market');
    // when
    const second = await http<{ access_token: string; refresh_token: string }>(`${t.url}/auth/refresh`, { body: { refresh_token: first.refresh_token } });
    const replay = await http(`${t.url}/auth/refresh`, { body: { refresh_token: first.refresh_token } });
    const afterReplay = await http(`${t.url}/auth/refresh`, { body: { refresh_token: second.body.refresh_token } });
    // then
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(replay.status).toBe(401);
    expect(replay.body['error']).toBe('RefreshTokenReused');
    expect(afterReplay.status).toBe(401);
  });

  it('logout revokes the refresh token', async () => {
    const tokens = await loginAs(t, 'clerk.dongcheng');
    const out = await http(`${t.url}/auth/logout`, { token: tokens.access_token, body: { refresh_token: tokens.refresh_token } });
    const refresh = await http(`${t.url}/auth/refresh`, { body: { refresh_token: tokens.refresh_token } });
    expect(out.status).toBe(204);
    expect(refresh.status).toBe(401);
    expect(refresh.body['error']).toBe('RevokedRefreshToken');
  });

  it('issues service tokens by client credentials and refuses a wrong secret', async () => {
    const ok = await http<{ access_token: string; expires_in: number }>(`${t.url}/oauth/token`, { body: { grant_type: 'client_credentials', client_id: 'approval', client_secret: t.config.DEMO_SERVICE_SECRET } });
    const bad = await http(`${t.url}/oauth/token`, { body: { grant_type: 'client_credentials', client_id: 'approval', client_secret: 'wrong-secret' } });
    expect(ok.status).toBe(200);
    const claims = JSON.parse(Buffer.from(ok.body.access_token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'approval', ptype: 'service', roles: ['service'] });
    expect(bad.status).toBe(401);
  });

  it('locks an account after repeated wrong passwords, even for the right password afterwards', async () => {
    // given LOGIN_MAX_FAILURES = 3
    for (let i = 0; i < 3; i++) {
      const r = await http(`${t.url}/auth/login`, { body: { username: 'lisi', password: 'wrong-password' } });
      expect(r.status).toBe(401);
    }
    // when
    const res = await http(`${t.url}/auth/login`, { body: { username: 'lisi', password: t.config.DEMO_PASSWORD } });
    // then
    expect(res.status).toBe(423);
    expect(res.body['error']).toBe('AccountLocked');
  });

  it('refuses unknown users and wrong passwords with the same 401', async () => {
    const unknown = await http(`${t.url}/auth/login`, { body: { username: 'nobody', password: 'whatever-123' } });
    const wrong = await http(`${t.url}/auth/login`, { body: { username: 'acme', password: 'whatever-123' } });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body['message']).toBe(wrong.body['message']);
  });
});
