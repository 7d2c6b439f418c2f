import { Controller, Get, type INestApplication, Param } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuthModule, Authenticated, CurrentPrincipal, OrgScope, type Principal, Role, Roles } from '@gov/auth';
import { AllErrorsFilter, createLogger } from '@gov/service-kit';
import { SignJWT, decodeProtectedHeader } from 'jose';
import type { AddressInfo, Server } from 'node:net';
import { KeysService } from '../keys/keys.service';
import { DEMO_ORGS } from '../seed/demo-data';
import { http, loginAs, startTestIdentity, type TestIdentity } from '../testing/test-app';

// A stand-in for another service (intake, approval, ...) that uses the auth kit against identity's JWKS.
@Controller('cases')
@Authenticated()
class CasesController {
  @Get(':org')
  get(@Param('org') org: string, @CurrentPrincipal() p: Principal) {
    OrgScope.assertCanActOn(p, { orgCode: org, sharedWith: org === DEMO_ORGS.housing.code ? [DEMO_ORGS.resourcesLand.code] : [] });
    return { ok: true, subject: p.subject };
  }

  @Get(':org/decide')
  @Roles(Role.SectionChief, Role.Leader)
  decide(@Param('org') org: string, @CurrentPrincipal() p: Principal) {
    OrgScope.assertCanActOn(p, { orgCode: org });
    return { ok: true };
  }
}

// Deliberately without any guard decorator: the global guard must still demand a token.
/* eslint-disable gov/controller-requires-guard */
@Controller('forgotten')
class ForgottenController {
  @Get()
  get() {
    return { leaked: true };
  }
}
/* eslint-enable gov/controller-requires-guard */

async function startConsumer(t: TestIdentity, opts: { cacheMaxAgeMs?: number } = {}): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AuthModule.forRoot({
        issuer: t.config.IDENTITY_ISSUER,
        audience: t.config.IDENTITY_AUDIENCE,
        jwksUrl: `${t.url}/.well-known/jwks.json`,
        jwksCacheMaxAgeMs: opts.cacheMaxAgeMs ?? 60_000,
      }),
    ],
    controllers: [CasesController, ForgottenController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useGlobalFilters(new AllErrorsFilter(createLogger('consumer', 'silent')));
  await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}` };
}

async function jwksFetches(t: TestIdentity): Promise<number> {
  const res = await fetch(`${t.url}/metrics`);
  const text = await res.text();
  const line = text.split('\n').find((l) => l.startsWith('http_request_duration_seconds_count') && l.includes('route="/.well-known/jwks.json"'));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('the auth kit in another service, against identity over HTTP', () => {
  let t: TestIdentity;
  let consumer: { app: INestApplication; url: string };

  beforeAll(async () => {
    t = await startTestIdentity({ LOGIN_RATE_PER_MINUTE_PER_IP: '10000' });
    consumer = await startConsumer(t);
  });
  afterAll(async () => {
    await consumer.app.close();
    await t.close();
  });

  it('denies by default a route that has no guard decorator at all', async () => {
    const res = await http(`${consumer.url}/forgotten`);
    expect(res.status).toBe(401);
  });

  it('lets an officer act on what their organisation handles', async () => {
    const handler = await loginAs(t, 'handler.market');
    const res = await http(`${consumer.url}/cases/${DEMO_ORGS.marketRegistry.code}`, { token: handler.access_token });
    expect(res.status).toBe(200);
  });

  it('denies an officer acting on another organisation', async () => {
    // given an officer of natural resources
    const handler = await loginAs(t, 'handler.resources');
    // when they touch a market regulation record
    const res = await http(`${consumer.url}/cases/${DEMO_ORGS.marketRegistry.code}`, { token: handler.access_token });
    // then
    expect(res.status).toBe(403);
    expect(res.body['error']).toBe('OutsideOrganisation');
  });

  it('denies a county officer acting on a city department record, and vice versa', async () => {
    const county = await loginAs(t, 'handler.dongcheng');
    const city = await loginAs(t, 'handler.market');
    expect((await http(`${consumer.url}/cases/${DEMO_ORGS.market.code}`, { token: county.access_token })).status).toBe(403);
    expect((await http(`${consumer.url}/cases/${DEMO_ORGS.dcMarket.code}`, { token: city.access_token })).status).toBe(403);
  });

  it('lets an officer act on what a joint review shares with their organisation', async () => {
    const handler = await loginAs(t, 'handler.resources');
    const res = await http(`${consumer.url}/cases/${DEMO_ORGS.housing.code}`, { token: handler.access_token });
    expect(res.status).toBe(200);
  });

  it('checks roles: a handler cannot decide, a chief can', async () => {
    const handler = await loginAs(t, 'handler.market');
    const chief = await loginAs(t, 'chief.market');
    expect((await http(`${consumer.url}/cases/${DEMO_ORGS.marketRegistry.code}/decide`, { token: handler.access_token })).status).toBe(403);
    expect((await http(`${consumer.url}/cases/${DEMO_ORGS.marketRegistry.code}/decide`, { token: chief.access_token })).status).toBe(200);
  });

  it('does not turn unknown kids into a storm of JWKS refetches', async () => {
    // given the consumer has fetched the JWKS once
    const handler = await loginAs(t, 'handler.market');
    await http(`${consumer.url}/cases/${DEMO_ORGS.marketRegistry.code}`, { token: handler.access_token });
    const before = await jwksFetches(t);
    // when 50 tokens with made-up kids arrive at once
    const { key } = await t.app.get(KeysService).signingKey();
    const now = Math.floor(Date.now() / 1000);
    const forged = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        new SignJWT({ ptype: 'officer', name: 'x', roles: ['handler'], orgs: [] })
          .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: `made-up-${i}` })
          .setIssuer(t.config.IDENTITY_ISSUER)
          .setAudience(t.config.IDENTITY_AUDIENCE)
          .setSubject('x')
          .setJti(`j${i}`)
          .setIssuedAt(now)
          .setExpirationTime(now + 60)
          .sign(key),
      ),
    );
    const results = await Promise.all(forged.map((tok) => http(`${consumer.url}/cases/x`, { token: tok })));
    // then all are refused and the JWKS was fetched at most once more
    expect(results.every((r) => r.status === 401)).toBe(true);
    expect((await jwksFetches(t)) - before).toBeLessThanOrEqual(1);
  });

  it('accepts service-to-service tokens from client credentials', async () => {
    const tok = await http<{ access_token: string }>(`${t.url}/oauth/token`, { body: { grant_type: 'client_credentials', client_id: 'approval', client_secret: t.config.DEMO_SERVICE_SECRET } });
    const res = await http(`${consumer.url}/cases/${DEMO_ORGS.tax.code}`, { token: tok.body.access_token });
    expect(res.status).toBe(200);
  });
});

describe('signing key rotation', () => {
  let t: TestIdentity;
  let consumer: { app: INestApplication; url: string };

  beforeAll(async () => {
    t = await startTestIdentity({ LOGIN_RATE_PER_MINUTE_PER_IP: '10000', KEY_PREPUBLISH_SECONDS: '2' });
    consumer = await startConsumer(t, { cacheMaxAgeMs: 1000 });
  });
  afterAll(async () => {
    await consumer.app.close();
    await t.close();
  });

  it('rotates without failing any valid request, and keeps the old key published for tokens it signed', async () => {
    // given a token signed before the rotation
    const oldToken = (await loginAs(t, 'handler.market')).access_token;
    const oldKid = decodeProtectedHeader(oldToken).kid;
    const admin = await loginAs(t, 'admin');
    const serviceToken = async () =>
      (await http<{ access_token: string }>(`${t.url}/oauth/token`, { body: { grant_type: 'client_credentials', client_id: 'approval', client_secret: t.config.DEMO_SERVICE_SECRET } })).body.access_token;
    // when the key rotates while requests keep flowing for 6 s
    const statuses: number[] = [];
    const kids = new Set<string>();
    const rotated = http(`${t.url}/keys/rotate`, { method: 'POST', token: admin.access_token });
    const end = Date.now() + 6000;
    while (Date.now() < end) {
      const fresh = await serviceToken();
      kids.add(String(decodeProtectedHeader(fresh).kid));
      statuses.push((await http(`${consumer.url}/cases/${DEMO_ORGS.tax.code}`, { token: fresh })).status);
      statuses.push((await http(`${consumer.url}/cases/${DEMO_ORGS.marketRegistry.code}`, { token: oldToken })).status);
      await new Promise((r) => setTimeout(r, 100));
    }
    // then
    expect((await rotated).status).toBe(202);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(kids.size).toBe(2);
    const jwks = await http<{ keys: Array<{ kid: string }> }>(`${t.url}/.well-known/jwks.json`);
    expect(jwks.body.keys.map((k) => k.kid)).toContain(oldKid);
    expect(jwks.body.keys).toHaveLength(2);
  });
});
