import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ExecutionContext } from '@nestjs/common';
import { AppError, Public } from '@gov/service-kit';
import { type CryptoKey, type JWK, SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, base64url } from 'jose';
import { AuthGuard } from './auth.guard';
import type { AuthDeniedEvent, AuthOptions } from './auth.options';
import { Authenticated, Roles } from './decorators';
import type { SecurityEventData } from '@gov/contracts';
import { SecurityEvents } from './security-events/security-events';
import { TokenVerifier } from './token-verifier';
import { Role } from './roles';

const ISS = 'http://identity.test';
const AUD = 'gov-platform';

@Controller('x')
@Authenticated()
class DemoController {
  @Get('any')
  any(): string {
    return 'ok';
  }
  @Get('chief')
  @Roles(Role.SectionChief)
  chief(): string {
    return 'ok';
  }
  @Get('open')
  @Public()
  open(): string {
    return 'ok';
  }
}

class BareController {
  bare(): string {
    return 'ok';
  }
}

interface Fixture {
  guard: AuthGuard;
  privateKey: CryptoKey;
  publicJwk: JWK;
  denied: AuthDeniedEvent[];
}

async function fixture(): Promise<Fixture> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' };
  const denied: AuthDeniedEvent[] = [];
  const options: AuthOptions = { issuer: ISS, audience: AUD, keyResolver: createLocalJWKSet({ keys: [publicJwk] }), onDenied: (e) => denied.push(e) };
  return { guard: new AuthGuard(new Reflector(), new TokenVerifier(options), options), privateKey, publicJwk, denied };
}

function token(f: Fixture, overrides: { typ?: string; kid?: string; aud?: string; iss?: string; exp?: number; iat?: number; roles?: string[] } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ptype: 'officer', name: '张三', roles: overrides.roles ?? ['handler'], orgs: ['ORG1'] })
    .setProtectedHeader({ alg: 'EdDSA', typ: overrides.typ ?? 'at+jwt', kid: overrides.kid ?? 'k1' })
    .setIssuer(overrides.iss ?? ISS)
    .setAudience(overrides.aud ?? AUD)
    .setSubject('user-1')
    .setJti('jti-1')
    .setIssuedAt(overrides.iat ?? now)
    .setExpirationTime(overrides.exp ?? now + 300)
    .sign(f.privateKey);
}

function ctx(handler: keyof DemoController | 'bare', authorization?: string): { context: ExecutionContext; req: Record<string, unknown> } {
  const req: Record<string, unknown> = { headers: authorization ? { authorization } : {}, method: 'GET', path: '/x', ip: '127.0.0.1' };
  const cls = handler === 'bare' ? BareController : DemoController;
  const fn = handler === 'bare' ? BareController.prototype.bare : DemoController.prototype[handler];
  const context = {
    getType: () => 'http',
    getHandler: () => fn,
    getClass: () => cls,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { context, req };
}

async function refusal(f: Fixture, handler: keyof DemoController | 'bare', authorization?: string): Promise<AppError> {
  const { context } = ctx(handler, authorization);
  try {
    await f.guard.canActivate(context);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('AuthGuard', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
  });

  it('accepts a valid access token and attaches the principal', async () => {
    // given
    const { context, req } = ctx('any', `Bearer ${await token(f)}`);
    // when
    const ok = await f.guard.canActivate(context);
    // then
    expect(ok).toBe(true);
    expect(req['principal']).toMatchObject({ subject: 'user-1', type: 'officer', roles: ['handler'], orgs: ['ORG1'] });
  });

  it('lets @Public() routes through without a token', async () => {
    expect(await f.guard.canActivate(ctx('open').context)).toBe(true);
  });

  it('denies by default a handler that has neither roles nor @Public()', async () => {
    const e = await refusal(f, 'bare');
    expect(e.status).toBe(401);
    expect(e.code).toBe('MissingToken');
  });

  it('refuses a token without the required role with 403', async () => {
    const e = await refusal(f, 'chief', `Bearer ${await token(f)}`);
    expect(e.status).toBe(403);
    expect(e.code).toBe('InsufficientRole');
    expect(f.denied.at(-1)).toMatchObject({ code: 'InsufficientRole', subject: 'user-1' });
  });

  it('accepts a token with the required role', async () => {
    expect(await f.guard.canActivate(ctx('chief', `Bearer ${await token(f, { roles: ['section_chief'] })}`).context)).toBe(true);
  });

  it('rejects a malformed token', async () => {
    expect((await refusal(f, 'any', 'Bearer not-a-jwt')).code).toBe('MalformedToken');
    expect((await refusal(f, 'any', 'Basic abc')).code).toBe('MalformedToken');
    expect((await refusal(f, 'any', 'Bearer a.b.c')).status).toBe(401);
  });

  it('rejects a token with alg none', async () => {
    // given an unsigned token with otherwise valid claims
    const now = Math.floor(Date.now() / 1000);
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: 'k1' }));
    const body = base64url.encode(JSON.stringify({ iss: ISS, aud: AUD, sub: 'user-1', jti: 'j', iat: now, exp: now + 300, ptype: 'officer', roles: ['sysadmin'], orgs: [] }));
    // when
    const e = await refusal(f, 'any', `Bearer ${header}.${body}.`);
    // then
    expect(e.status).toBe(401);
  });

  it('rejects an HS256 token keyed with the public key', async () => {
    // given a token "signed" with HMAC using the published public key as the secret
    const secret = new TextEncoder().encode(JSON.stringify(f.publicJwk));
    const rawX = Buffer.from(f.publicJwk.x!, 'base64url');
    const now = Math.floor(Date.now() / 1000);
    for (const key of [secret, rawX]) {
      const forged = await new SignJWT({ ptype: 'officer', name: 'x', roles: ['sysadmin'], orgs: [] })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' })
        .setIssuer(ISS)
        .setAudience(AUD)
        .setSubject('attacker')
        .setJti('j')
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(key);
      // when
      const e = await refusal(f, 'any', `Bearer ${forged}`);
      // then
      expect(e.status).toBe(401);
      expect(e.code).toBe('InvalidToken');
    }
  });

  it('rejects a wrong audience, issuer or type', async () => {
    expect((await refusal(f, 'any', `Bearer ${await token(f, { aud: 'other' })}`)).code).toBe('InvalidToken');
    expect((await refusal(f, 'any', `Bearer ${await token(f, { iss: 'http://evil' })}`)).code).toBe('InvalidToken');
    expect((await refusal(f, 'any', `Bearer ${await token(f, { typ: 'JWT' })}`)).code).toBe('WrongTokenType');
  });

  it('rejects an expired token beyond the clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    const e = await refusal(f, 'any', `Bearer ${await token(f, { iat: now - 600, exp: now - 60 })}`);
    expect(e.code).toBe('ExpiredToken');
  });

  it('accepts a token that expired within the clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await f.guard.canActivate(ctx('any', `Bearer ${await token(f, { iat: now - 300, exp: now - 2 })}`).context)).toBe(true);
  });

  it('rejects an unknown kid', async () => {
    const e = await refusal(f, 'any', `Bearer ${await token(f, { kid: 'nope' })}`);
    expect(e.code).toBe('UnknownKey');
  });

  it('rejects a token older than the maximum token age even if exp is far away', async () => {
    const now = Math.floor(Date.now() / 1000);
    const e = await refusal(f, 'any', `Bearer ${await token(f, { iat: now - 7200, exp: now + 7200 })}`);
    expect(e.status).toBe(401);
  });
});

describe('TokenVerifier cache', () => {
  it('still refuses a cached token once it has expired', async () => {
    // given a token that verifies now and expires in 1 s (tolerance 0)
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k', alg: 'EdDSA' };
    const verifier = new TokenVerifier({ issuer: ISS, audience: AUD, keyResolver: createLocalJWKSet({ keys: [jwk] }), clockToleranceSeconds: 0 });
    const now = Math.floor(Date.now() / 1000);
    const tok = await new SignJWT({ ptype: 'service', name: 's', roles: ['service'], orgs: [] })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'k' })
      .setIssuer(ISS)
      .setAudience(AUD)
      .setSubject('svc')
      .setJti('j')
      .setIssuedAt(now)
      .setExpirationTime(now + 1)
      .sign(privateKey);
    await verifier.verify(tok);
    // when
    await new Promise((r) => setTimeout(r, 2100));
    // then
    await expect(verifier.verify(tok)).rejects.toMatchObject({ status: 401, code: 'ExpiredToken' });
  });
});

describe('AuthGuard security events', () => {
  it('records every refusal for the platform audit trail, and a failing sink changes nothing', async () => {
    // given
    const f = await fixture();
    const recorded: SecurityEventData[] = [];
    const options: AuthOptions = { issuer: ISS, audience: AUD, keyResolver: createLocalJWKSet({ keys: [f.publicJwk] }) };
    const guard = new AuthGuard(new Reflector(), new TokenVerifier(options), options, new SecurityEvents({ record: (e) => void recorded.push(e), flush: async () => undefined }, 'approval'));
    const failing = new AuthGuard(new Reflector(), new TokenVerifier(options), options, new SecurityEvents({ record: () => { throw new Error('down'); }, flush: async () => undefined }, 'approval'));
    // when
    await expect(guard.canActivate(ctx('any').context)).rejects.toMatchObject({ status: 401 });
    await expect(guard.canActivate(ctx('chief', `Bearer ${await token(f)}`).context)).rejects.toMatchObject({ status: 403 });
    // then
    expect(recorded.map((e) => [e.category, e.details['code'], e.target])).toEqual([
      ['authentication-failure', 'MissingToken', '/x'],
      ['authorisation-refusal', 'InsufficientRole', '/x'],
    ]);
    await expect(failing.canActivate(ctx('any').context)).rejects.toMatchObject({ status: 401, code: 'MissingToken' });
  });
});
