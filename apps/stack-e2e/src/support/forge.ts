import { createDecipheriv, createHmac, createPrivateKey, hkdfSync, type KeyObject, randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { STACK, sql } from '@gov/testing';

// Tokens an attacker would try. Those that need identity's real signing key (expired, wrong audience, issuer or
// type, unknown kid) are signed with the stack identity's active key, read from its database as the superuser and
// decrypted with the KEK the stack runs with (IDENTITY_KEK, or identity's public development default). This is
// the only way to make a token whose single defect is the claim under test: identity issues no token with a wrong
// audience or a past expiry. The envelope format (AES-256-GCM under HKDF-SHA256(KEK), "v1:iv:tag:ct", associated
// data "signing-key:<kid>") is restated here because e2e tests may not import apps/identity.

const DEV_KEK = 'dev-only-identity-kek-do-not-use-in-production';
export const ACCESS_TOKEN_TYPE = 'at+jwt';

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export interface RealKey {
  kid: string;
  key: KeyObject;
}

/** The stack identity's active signing key. Throws when it cannot be read or decrypted (say why). */
export async function realSigningKey(): Promise<RealKey> {
  const rows = await sql<{ kid: string; private_key_enc: string }>(
    'identity',
    'SELECT kid, private_key_enc FROM signing_keys WHERE activates_at <= now() AND (retires_at IS NULL OR retires_at > now()) ORDER BY activates_at DESC LIMIT 1',
  );
  const row = rows[0];
  if (!row) throw new Error('identity has no active signing key in its database');
  const kek = process.env['IDENTITY_KEK'] ?? DEV_KEK;
  const aesKey = Buffer.from(hkdfSync('sha256', Buffer.from(kek, 'utf8'), Buffer.from('gov-identity'), Buffer.from('private-keys-v1'), 32));
  const [version, iv, tag, ct] = row.private_key_enc.split(':');
  if (version !== 'v1' || !iv || !tag || !ct) throw new Error(`unknown key envelope ${version ?? ''}`);
  const decipher = createDecipheriv('aes-256-gcm', aesKey, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(`signing-key:${row.kid}`));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  const pem = Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]);
  return { kid: row.kid, key: createPrivateKey(pem) };
}

export interface Claims {
  [claim: string]: unknown;
}

/** The claims of a real token, re-dated to now, with a fresh jti. */
export function claimsOf(realToken: string): Claims {
  const now = Math.floor(Date.now() / 1000);
  return { ...decodeJwt(realToken), jti: randomUUID(), iat: now, nbf: now, exp: now + 300 };
}

export async function sign(real: RealKey, claims: Claims, header: { typ?: string; kid?: string } = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: header.typ ?? ACCESS_TOKEN_TYPE, kid: header.kid ?? real.kid }).sign(real.key);
}

export function unsigned(claims: Claims, kid: string): string {
  return `${b64url(JSON.stringify({ alg: 'none', typ: ACCESS_TOKEN_TYPE, kid }))}.${b64url(JSON.stringify(claims))}.`;
}

/** HS256 with the published public key as the HMAC secret (the algorithm-confusion attack). */
export async function hs256WithPublicJwk(claims: Claims): Promise<string> {
  const jwks = (await (await fetch(`${STACK.identity}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string; x: string }> };
  const jwk = jwks.keys[0];
  if (!jwk) throw new Error('identity publishes no key');
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: ACCESS_TOKEN_TYPE, kid: jwk.kid }));
  const body = b64url(JSON.stringify(claims));
  const mac = createHmac('sha256', Buffer.from(jwk.x, 'base64url')).update(`${head}.${body}`).digest();
  return `${head}.${body}.${b64url(mac)}`;
}

/** A real token with one byte of its payload changed (the subject's last character), signature kept. */
export function flippedPayloadByte(realToken: string): string {
  const [head, body, sig] = realToken.split('.') as [string, string, string];
  const json = Buffer.from(body, 'base64url').toString('utf8');
  const claims = JSON.parse(json) as { sub: string };
  const last = claims.sub.slice(-1);
  const flipped = json.replace(`"sub":"${claims.sub}"`, `"sub":"${claims.sub.slice(0, -1)}${last === '0' ? '1' : '0'}"`);
  return `${head}.${b64url(flipped)}.${sig}`;
}

export function kidOf(token: string): string {
  return decodeProtectedHeader(token).kid ?? '';
}
