import { createHash, createHmac } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base32Encode, generateTotp } from '../totp';

// Helpers for tests and local demos against the demo seed. They only work where identity runs in
// development/test mode, where demo officers' TOTP secrets are derived from their usernames.

export const DEMO_PASSWORD_DEFAULT = 'demo-Passw0rd!';

/** The TOTP secret identity gives a demo officer in local mode: base32(HMAC-SHA256("gov-demo-totp-v1", username))[0..32). */
export function demoTotpSecret(username: string): string {
  return base32Encode(createHmac('sha256', 'gov-demo-totp-v1').update(username).digest()).slice(0, 32);
}

export interface DemoTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

const sessions = new Map<string, DemoTokens & { expiresAtMs: number }>();

/**
 * Logs a demo user in (officers with their demo TOTP code) and returns the token response. Identity accepts a
 * TOTP code only once, so sessions are cached per (identity, user) and refreshed rather than logging in again.
 */
export function demoLogin(identityUrl: string, username: string, password: string = process.env['DEMO_PASSWORD'] ?? DEMO_PASSWORD_DEFAULT): Promise<DemoTokens> {
  // Concurrent callers for the same user share one login: parallel logins would burn TOTP steps and hit rate limits.
  const key = `${identityUrl.replace(/\/$/, '')}|${username}`;
  const pending = inFlight.get(key);
  if (pending) return pending;
  const attempt = login(identityUrl, username, password).finally(() => inFlight.delete(key));
  inFlight.set(key, attempt);
  return attempt;
}

const inFlight = new Map<string, Promise<DemoTokens>>();

async function login(identityUrl: string, username: string, password: string): Promise<DemoTokens> {
  const base = identityUrl.replace(/\/$/, '');
  const key = `${base}|${username}`;
  const cached = sessions.get(key);
  if (cached && cached.expiresAtMs - 30_000 > Date.now()) return cached;
  // A session from disk may belong to an identity that has since been reset: refresh it, never trust its access token.
  const previous = cached ?? fromDisk(key);
  if (previous) {
    const refreshed = await post(`${base}/auth/refresh`, { refresh_token: previous.refresh_token });
    if (refreshed.ok) return remember(key, (await refreshed.json()) as DemoTokens);
  }
  // Identity accepts each TOTP step once per user and tolerates one step of drift. Another process (the stack's demo
  // seed, another test file) may have used the current step: try the next and the previous step, then wait for a new one.
  const secret = demoTotpSecret(username);
  let last = '';
  // A step taken ahead (+30 s) by another process makes the current one stale too, so waiting may need two windows.
  for (const offsetMs of [0, 30_000, -30_000, 'wait' as const, 30_000, 'wait' as const]) {
    if (offsetMs === 'wait') await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 200));
    const totp = generateTotp(secret, Date.now() + (offsetMs === 'wait' ? 0 : offsetMs));
    const res = await post(`${base}/auth/login`, { username, password, totp });
    if (res.ok) return remember(key, (await res.json()) as DemoTokens);
    last = `HTTP ${res.status} ${await res.text()}`;
    if (res.status !== 401) break;
  }
  throw new Error(`demo login of ${username} failed: ${last}`);
}

function remember(key: string, tokens: DemoTokens): DemoTokens {
  const session = { ...tokens, expiresAtMs: Date.now() + tokens.expires_in * 1000 };
  sessions.set(key, session);
  toDisk(key, session);
  return tokens;
}

// Test files run in separate module registries (and benches in separate processes): a session kept on disk lets the
// next one refresh instead of spending another TOTP step. Only demo sessions of local identities are kept.
function diskFile(key: string): string {
  return join(tmpdir(), `gov-demo-session-${createHash('sha256').update(key).digest('hex').slice(0, 24)}.json`);
}

function fromDisk(key: string): (DemoTokens & { expiresAtMs: number }) | undefined {
  try {
    return JSON.parse(readFileSync(diskFile(key), 'utf8')) as DemoTokens & { expiresAtMs: number };
  } catch {
    return undefined;
  }
}

function toDisk(key: string, session: DemoTokens & { expiresAtMs: number }): void {
  try {
    const file = diskFile(key);
    writeFileSync(`${file}.${process.pid}`, JSON.stringify(session), { mode: 0o600 });
    renameSync(`${file}.${process.pid}`, file);
  } catch {
    // a cache only
  }
}

function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
