import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { createLogger, createServiceApp, runMigrations } from '@gov/service-kit';
import { demoTotpSecret, generateTotp } from '@gov/auth';
import type { AddressInfo, Server } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { IdentityAppModule } from '../app.module';
import { type IdentityConfig, loadIdentityConfig } from '../config';
import { IDENTITY_MIGRATIONS } from '../migrations';

export interface TestIdentity {
  app: INestApplication;
  url: string;
  config: IdentityConfig;
  database: string;
  /** Runs SQL as the database owner (gov_owner), for out-of-band checks. */
  ownerQuery<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs SQL as the application role (gov_app). */
  appQuery<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const PG = { host: process.env['PGHOST'] ?? '127.0.0.1', port: Number(process.env['PGPORT'] ?? 5432) };

async function admin<T>(fn: (c: Client) => Promise<T>, database = 'postgres', user = process.env['PG_SUPERUSER'] ?? 'postgres'): Promise<T> {
  const c = new Client({ ...PG, user, database });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * Builds a throwaway identity service for a test file: a fresh database identity_test_<random> owned by
 * gov_owner, migrations applied, the demo seed, and the Nest app listening on an ephemeral port.
 */
export async function startTestIdentity(env: Record<string, string> = {}): Promise<TestIdentity> {
  const database = `identity_test_${randomBytes(4).toString('hex')}`;
  await admin(async (c) => {
    await c.query(`CREATE DATABASE ${database} OWNER gov_owner`);
  });
  await admin(
    async (c) => {
      await c.query('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gov_app');
      await c.query('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO gov_app');
    },
    database,
    'gov_owner',
  );
  const { values: config } = loadIdentityConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    IDENTITY_DB: database,
    IDENTITY_PORT: '3001',
    PASSWORD_SCRYPT_LOG2N: '12',
    KEY_PREPUBLISH_SECONDS: '0',
    ...env,
  });
  const logger = createLogger('identity', config.LOG_LEVEL);
  await runMigrations(config, database, IDENTITY_MIGRATIONS, logger);
  const app = await createServiceApp({ service: 'identity', description: 'test', module: IdentityAppModule.forRoot(config, logger), port: 0, logger });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const query =
    (user: string) =>
    async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
      admin(async (c) => (await c.query(sql, params)).rows as T[], database, user);
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    config,
    database,
    ownerQuery: query('gov_owner'),
    appQuery: query('gov_app'),
    async close() {
      await app.close();
      await admin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      });
    },
  };
}

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export async function http<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
  // Creating POSTs need an Idempotency-Key; tests get a fresh one unless they pass their own (or '' for none).
  const headers: Record<string, string> = { ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}), ...(init.headers ?? {}) };
  if (headers['idempotency-key'] === '') delete headers['idempotency-key'];
  if (init.token) headers['authorization'] = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    // not JSON (e.g. a PEM)
  }
  return { status: res.status, body: body as T, headers: res.headers };
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
