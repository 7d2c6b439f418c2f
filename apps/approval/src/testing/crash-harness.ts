import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STACK } from '@gov/testing';
import { Client } from 'pg';
import { isolatedApprovalEnv } from './test-app';

// The kill -9 tests' harness: approval runs as a child process (compiled once with swc as tools/build/build-app.ts
// does, one node process, so its SIGKILL is what the test sees) on a database of its own, against the stack's engine
// and Kafka, and is restarted after each kill.

const ROOT = join(__dirname, '../../../..');

export async function sql<T>(database: string, user: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ host: STACK.pg.host, port: STACK.pg.port, user, database });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Child {
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/** A database as startTestService makes it (owned by gov_owner, tables granted to gov_app); the child migrates it. */
export async function createCrashDatabase(prefix: string): Promise<string> {
  const database = `${prefix}_${randomBytes(4).toString('hex')}`;
  await sql('postgres', 'postgres', `CREATE DATABASE ${database} OWNER gov_owner`);
  await sql(database, 'gov_owner', 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gov_app');
  await sql(database, 'gov_owner', 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO gov_app');
  return database;
}

export async function dropCrashDatabase(database: string): Promise<void> {
  await sql('postgres', 'postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}

/** Compiles approval once (a restart then costs only the service's start); the directory of the build. */
export function buildApproval(): string {
  const build = mkdtempSync(join(tmpdir(), 'approval-crash-'));
  const swc = spawnSync(
    join(ROOT, 'node_modules/.bin/swc'),
    ['apps/approval/src', 'libs', '-d', build, '--config-file', '.swcrc', '--only', '**/*.ts', '--ignore', '**/*.spec.ts,**/*.integration-spec.ts,**/*.e2e-spec.ts,**/*.fixture.ts,libs/shared/testing/**', '--quiet'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (swc.status !== 0) throw new Error(`swc failed: ${swc.stderr}`);
  return build;
}

export function removeBuild(build: string | undefined): void {
  if (build) rmSync(build, { recursive: true, force: true });
}

/**
 * Starts the built approval on `port` and `database`, isolated from the stack's work (isolatedApprovalEnv), with
 * its reconciler taking every pending row at once every 300 ms; `env` adds or overrides (fault hooks, workers).
 */
export function startApprovalChild(build: string, database: string, port: number, env: Record<string, string> = {}): Child {
  const all = isolatedApprovalEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    APPROVAL_DB: database,
    APPROVAL_PORT: String(port),
    // Every pending row is the reconciler's at once (a live request racing it is safe by design), every 300 ms.
    RECONCILE_AFTER_MS: '0',
    RECONCILE_INTERVAL_MS: '300',
    ...env,
  });
  const p = spawn(process.execPath, [join(build, 'apps/approval/src/main.js')], {
    cwd: ROOT,
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), ...all },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  p.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  p.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => p.on('exit', (code, signal) => resolve({ code, signal })));
  return { process: p, exited, output: () => out };
}

export function isRunning(c: Child | undefined): boolean {
  return c !== undefined && c.process.exitCode === null && c.process.signalCode === null;
}

export async function ready(c: Child, port: number): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (!isRunning(c)) throw new Error(`approval exited before it was ready:\n${c.output()}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok).catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`approval not ready:\n${c.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Stops a child that is still running (SIGTERM) and waits for it. */
export async function stopChild(c: Child | undefined): Promise<void> {
  if (!c || !isRunning(c)) return;
  c.process.kill('SIGTERM');
  await c.exited;
}
