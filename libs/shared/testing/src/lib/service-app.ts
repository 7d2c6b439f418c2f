import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo, Server } from 'node:net';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { type DatabaseSettings, type LoadedConfig, createLogger, createServiceApp, runMigrations } from '@gov/service-kit';
import type { Logger } from 'pino';
import { Client } from 'pg';
import { STACK } from './stack';

export interface TestServiceOptions<C extends DatabaseSettings & { LOG_LEVEL: string }> {
  /** The service's name (also the prefix of the throwaway database). */
  service: string;
  loadConfig: (env: NodeJS.ProcessEnv) => LoadedConfig<C>;
  /** The configuration key that names the service's database, e.g. `APPROVAL_DB`. */
  databaseKey: keyof C & string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  module: (config: C, logger: Logger) => DynamicModule;
  /** Extra environment for the configuration (ports, feature switches). */
  env?: Record<string, string>;
  /**
   * Start against this existing database (another TestService's) instead of a fresh one: a second replica of
   * the same service. Migrations are applied (already there: a no-op) and `close()` leaves the database alone.
   */
  reuseDatabase?: string;
  /**
   * Whether the service's event consumers (its SERVICE_TRANSPORTS) run; default true. They consume under consumer
   * groups prefixed with a random `KAFKA_GROUP_PREFIX`, so they never take the running stack's partitions, and start
   * at the topics' end (`KAFKA_NEW_GROUP_FROM=latest`) instead of replaying the stack's history.
   */
  consumers?: boolean;
}

export interface TestService<C> {
  app: INestApplication;
  /** http://127.0.0.1:<ephemeral port> */
  url: string;
  config: C;
  database: string;
  /** Runs SQL as the database owner (gov_owner), for out-of-band checks. */
  ownerQuery<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs SQL as the application role (gov_app). */
  appQuery<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs SQL as the superuser (to simulate tampering around the triggers). */
  superQuery<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

async function withClient<T>(database: string, user: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ host: STACK.pg.host, port: STACK.pg.port, user, database });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const SUPERUSER = process.env['PG_SUPERUSER'] ?? process.env['PGSUPERUSER'] ?? 'postgres';

/**
 * Builds any service's HTTP application for a test file, the way `serviceMain` builds it in production: a fresh
 * database `<service>_test_<random>` owned by gov_owner, the committed migrations applied as the owner, the same
 * `createServiceApp` edge (filters, pipes, OpenAPI), listening on an ephemeral port. `close()` drops the database
 * (unless it was another service's, see `reuseDatabase`).
 */
export async function startTestService<C extends DatabaseSettings & { LOG_LEVEL: string }>(options: TestServiceOptions<C>): Promise<TestService<C>> {
  const owned = options.reuseDatabase === undefined;
  const database = options.reuseDatabase ?? `${options.service}_test_${randomBytes(4).toString('hex')}`;
  const dropDatabase = async (): Promise<void> => {
    if (owned) await withClient('postgres', SUPERUSER, (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  };
  if (owned) {
    await withClient('postgres', SUPERUSER, (c) => c.query(`CREATE DATABASE ${database} OWNER gov_owner`));
    await withClient(database, 'gov_owner', async (c) => {
      await c.query('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gov_app');
      await c.query('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO gov_app');
    });
  }
  const { values: config } = options.loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    KAFKA_GROUP_PREFIX: `test-${randomBytes(4).toString('hex')}.`,
    KAFKA_NEW_GROUP_FROM: 'latest',
    ...options.env,
    [options.databaseKey]: database,
  });
  const logger = createLogger(options.service, config.LOG_LEVEL);
  let app: INestApplication | undefined;
  try {
    await runMigrations(config, database, options.migrations, logger);
    app = await createServiceApp({ service: options.service, description: 'test', module: options.module(config, logger), port: 0, logger, config });
    await app.listen(0, '127.0.0.1');
    if (options.consumers ?? true) await app.startAllMicroservices();
  } catch (e) {
    await app?.close().catch(() => undefined);
    await dropDatabase();
    throw e;
  }
  const started = app;
  const { port } = (started.getHttpServer() as Server).address() as AddressInfo;
  const query =
    (user: string) =>
    async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
      withClient(database, user, async (c) => (await c.query(sql, params)).rows as T[]);
  return {
    app: started,
    url: `http://127.0.0.1:${port}`,
    config,
    database,
    ownerQuery: query('gov_owner'),
    appQuery: query('gov_app'),
    superQuery: query(SUPERUSER),
    async close() {
      await started.close();
      await dropDatabase();
    },
  };
}

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface HttpInit {
  method?: string;
  token?: string;
  body?: unknown;
  /** A raw body sent as is (with the content type from `headers`). */
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
}

/**
 * One request to a service under test. Creating POSTs get a fresh Idempotency-Key unless the caller passes its own
 * (or '' for none). The body is parsed as JSON when it is JSON.
 */
export async function httpRequest<T = Record<string, unknown>>(url: string, init: HttpInit = {}): Promise<HttpResult<T>> {
  const method = init.method ?? (init.body === undefined && init.rawBody === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}), ...(init.headers ?? {}) };
  if (headers['idempotency-key'] === '') delete headers['idempotency-key'];
  if (init.token) headers['authorization'] = `Bearer ${init.token}`;
  if (init.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  const payload = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  const res = await fetch(url, { method, headers, body: payload });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    // not JSON (a PEM, a PDF, plain text)
  }
  return { status: res.status, body: body as T, headers: res.headers };
}
