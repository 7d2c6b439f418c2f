import 'reflect-metadata';
import { generateTotp } from '@gov/auth';
import { demoTotpSecret } from '@gov/auth/testing';
import { type HttpInit, type HttpResult, type TestService, httpRequest, startTestService } from '@gov/testing';
import { IdentityAppModule } from '../app.module';
import { AuditService } from '../audit/audit.service';
import { type IdentityConfig, loadIdentityConfig } from '../config';
import { IDENTITY_MIGRATIONS } from '../migrations';

export type TestIdentity = TestService<IdentityConfig>;

/**
 * Builds a throwaway identity service for a test file through the shared harness: a fresh database, migrations
 * applied, the demo seed, and the Nest app listening on an ephemeral port.
 */
export function startTestIdentity(env: Record<string, string> = {}, options: { reuseDatabase?: string } = {}): Promise<TestIdentity> {
  return startTestService({
    service: 'identity',
    loadConfig: loadIdentityConfig,
    databaseKey: 'IDENTITY_DB',
    migrations: IDENTITY_MIGRATIONS,
    module: (config, logger) => IdentityAppModule.forRoot(config, logger),
    // No Kafka unless a test asks for it (with its own consumer group prefix, so it never takes the stack's events).
    env: { IDENTITY_PORT: '3001', PASSWORD_SCRYPT_LOG2N: '12', KEY_PREPUBLISH_SECONDS: '0', PLATFORM_AUDIT_CONSUMER: 'false', ...env },
    reuseDatabase: options.reuseDatabase,
  });
}

/** Waits until every audit record written in the background (refusals) is in the chain. */
export async function auditSettled(t: TestIdentity): Promise<void> {
  await t.app.get(AuditService).flush();
}

export type { HttpResult } from '@gov/testing';

export function http<T = Record<string, unknown>>(url: string, init: HttpInit = {}): Promise<HttpResult<T>> {
  return httpRequest<T>(url, init);
}

const sessions = new Map<string, { access_token: string; refresh_token: string; expiresAtMs: number }>();

/**
 * Logs a demo user in (officers with the TOTP code derived from their username). A TOTP code is accepted only
 * once, so a second login of the same officer within 30 s would be refused: sessions are cached per user and
 * refreshed instead.
 */
export async function loginAs(t: TestIdentity, username: string): Promise<{ access_token: string; refresh_token: string }> {
  const key = `${t.url}|${username}`;
  const cached = sessions.get(key);
  if (cached && cached.expiresAtMs - 30_000 > Date.now()) return cached;
  if (cached) {
    const r = await http<{ access_token: string; refresh_token: string; expires_in: number }>(`${t.url}/auth/refresh`, { body: { refresh_token: cached.refresh_token } });
    if (r.status === 200) {
      const s = { ...r.body, expiresAtMs: Date.now() + r.body.expires_in * 1000 };
      sessions.set(key, s);
      return s;
    }
  }
  const res = await http<{ access_token: string; refresh_token: string; expires_in: number }>(`${t.url}/auth/login`, {
    body: { username, password: t.config.DEMO_PASSWORD, totp: generateTotp(demoTotpSecret(username)) },
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  const session = { ...res.body, expiresAtMs: Date.now() + res.body.expires_in * 1000 };
  sessions.set(key, session);
  return session;
}
