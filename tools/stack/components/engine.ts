// The Camunda 7 engine host (apps/engine, Spring Boot jar): built with Maven only when its pom or sources changed,
// run with a modest heap against the `engine` database, healthy when /engine-rest/version answers 200.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, openSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Component, CACHE_DIR, ROOT, RUN_DIR, commandExists, httpOk, logFile, pidFile, progress, spawnDaemon, stopDaemon } from '../lib';

const ENGINE_DIR = join(ROOT, 'apps', 'engine');
const JAR = join(ENGINE_DIR, 'target', 'engine.jar');
const HASH_FILE = join(CACHE_DIR, 'engine.hash');
/** pom.xml hash of the last successful build: with the same pom every dependency is already in the local repository. */
const POM_HASH_FILE = join(CACHE_DIR, 'engine.pom.hash');

/** The jar a running engine was started from (its modification time), to restart it after a rebuild. */
const STARTED_JAR_FILE = join(RUN_DIR, 'engine.jar-stamp');
const jarStamp = (): string => (existsSync(JAR) ? String(statSync(JAR).mtimeMs) : '');

export const ENGINE_URL = process.env.ENGINE_URL ?? `http://127.0.0.1:${process.env.ENGINE_PORT ?? 8080}/engine-rest`;

const PG_HOST = process.env.PGHOST ?? '127.0.0.1';
const PG_PORT = process.env.PGPORT ?? '5432';
const PG_SUPERUSER = process.env.PGSUPERUSER ?? 'postgres';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

function sha256(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    hash.update(relative(ENGINE_DIR, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Content hash of what the build reads: apps/engine/pom.xml and src/**. */
export function engineSourceHash(): string {
  return sha256([join(ENGINE_DIR, 'pom.xml'), ...filesUnder(join(ENGINE_DIR, 'src'))]);
}

function readCache(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** Runs Maven without blocking the event loop (other components prepare meanwhile); output goes to logs/engine-build.log. */
function maven(args: string[]): Promise<boolean> {
  const out = openSync(logFile('engine-build'), 'a');
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn('mvn', args, { cwd: ENGINE_DIR, stdio: ['ignore', out, out] });
    child.once('error', rejectRun);
    child.once('exit', (code) => resolveRun(code === 0));
  });
}

async function build(): Promise<void> {
  if (!commandExists('mvn')) throw new Error('engine: Maven (mvn) is not installed: apt-get install maven');
  const sourceHash = engineSourceHash();
  if (existsSync(JAR) && readCache(HASH_FILE) === sourceHash) {
    progress('engine', 'jar up to date');
    return;
  }
  const pomHash = sha256([join(ENGINE_DIR, 'pom.xml')]);
  const args = ['-q', '-B', '-DskipTests', 'package'];
  const t = Date.now();
  let ok = false;
  if (readCache(POM_HASH_FILE) === pomHash) {
    // Same pom as the last good build: its dependencies are in the local repository, offline is safe.
    progress('engine', 'building apps/engine (mvn -o, sources changed)');
    ok = await maven(['-o', ...args]);
    // e.g. ~/.m2 was emptied since: fall through to a normal build
    if (!ok) progress('engine', 'offline build failed, retrying online');
  }
  if (!ok) {
    progress('engine', 'building apps/engine (mvn package)');
    ok = await maven(args);
  }
  if (!ok || !existsSync(JAR)) throw new Error(`engine: Maven build failed; see ${logFile('engine-build')}`);
  writeFileSync(HASH_FILE, sourceHash);
  writeFileSync(POM_HASH_FILE, pomHash);
  progress('engine', `built ${relative(ROOT, JAR)} (${(statSync(JAR).size / 1048576).toFixed(0)} MiB) in ${((Date.now() - t) / 1000).toFixed(1)}s`);
}

function psql(sql: string): string {
  const res = spawnSync('psql', ['-h', PG_HOST, '-p', PG_PORT, '-U', PG_SUPERUSER, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-tAc', sql], {
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`engine: psql failed: ${(res.stderr || res.error?.message || '').trim()}`);
  return res.stdout.trim();
}

/** Role `camunda` and database `engine` (owned by it), created when missing. */
export function ensureEngineDatabase(): void {
  if (!commandExists('psql')) {
    progress('engine', 'psql not found: relying on the postgres component for role camunda and database engine');
    return;
  }
  if (psql("SELECT 1 FROM pg_roles WHERE rolname = 'camunda'") !== '1') psql('CREATE ROLE camunda LOGIN');
  if (psql("SELECT 1 FROM pg_database WHERE datname = 'engine'") !== '1') psql('CREATE DATABASE engine OWNER camunda');
}

function authHeaders(): Record<string, string> {
  const user = process.env.ENGINE_REST_USER;
  if (!user) return {};
  const token = Buffer.from(`${user}:${process.env.ENGINE_REST_PASSWORD ?? ''}`).toString('base64');
  return { Authorization: `Basic ${token}` };
}

export const engine: Component = {
  name: 'engine',
  needs: ['postgres'],
  // ~15 s on an idle 2-core machine, much more while other JVMs start beside it
  startTimeoutSec: 120,
  async prepare() {
    await build();
  },
  async healthy() {
    return httpOk(`${ENGINE_URL}/version`, { headers: authHeaders() });
  },
  async start() {
    // here rather than in prepare(): prepare() runs before postgres is up
    ensureEngineDatabase();
    if (!existsSync(JAR)) await build();
    const extra = (process.env.ENGINE_JAVA_OPTS ?? '').split(/\s+/).filter(Boolean);
    const env = { ENGINE_DB_URL: process.env.ENGINE_DB_URL ?? `jdbc:postgresql://${PG_HOST}:${PG_PORT}/engine` };
    writeFileSync(STARTED_JAR_FILE, jarStamp());
    spawnDaemon('engine', 'java', [
      '-Xmx384m',
      // a small heap: Serial GC keeps ~50 MiB less resident than G1 here
      '-XX:+UseSerialGC',
      '-XX:+ExitOnOutOfMemoryError',
      ...extra,
      '-jar',
      relative(ROOT, JAR),
      `--spring.profiles.active=${process.env.ENGINE_PROFILE ?? 'local'}`,
    ], { env });
  },
  async stop() {
    await stopDaemon('engine', 30_000);
  },
  // An engine this tool started from an older jar (the sources changed and prepare() rebuilt it) is restarted, as the
  // services are after a rebuild; one started by hand (no pid file) is left alone.
  async outdated() {
    if (!existsSync(pidFile('engine'))) return false;
    const started = existsSync(STARTED_JAR_FILE) ? readFileSync(STARTED_JAR_FILE, 'utf8') : '';
    return started !== jarStamp();
  },
};
