// The NestJS services: built with swc through Nx (cached), run as node processes, health-checked on /health/ready.
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Component, ROOT, RUN_DIR, httpOk, logFile, pidFile, spawnDaemon, stopDaemon } from '../lib';
import { ENGINE_URL } from './engine';
import { KAFKA_BROKERS } from './kafka';
import { PG } from './postgres';

export interface ServiceSpec {
  name: string;
  port: number;
  needs: string[];
  env?: Record<string, string>;
}

export const SERVICE_SPECS: ServiceSpec[] = [
  { name: 'identity', port: 3001, needs: ['postgres'] },
  { name: 'intake', port: 3002, needs: ['postgres', 'topics', 'identity'] },
  // the incident watcher polls the engine every few seconds in the stack (production default: 30 s)
  { name: 'approval', port: 3003, needs: ['postgres', 'topics', 'flows', 'identity'], env: { INCIDENT_POLL_INTERVAL_MS: process.env.INCIDENT_POLL_INTERVAL_MS ?? '5000' } },
  { name: 'supervision', port: 3004, needs: ['postgres', 'topics', 'identity'], env: { CLOCK_CONTROL_ENABLED: process.env.CLOCK_CONTROL_ENABLED ?? 'true' } },
];

/**
 * A small young generation keeps each idle service well under 128 MB resident (the default 16 MB semi-spaces
 * fill up during start-up and are never given back); `--expose-gc` lets the service kit collect once after a burst
 * of work (startIdleGc: an identity that served 1200 requests settles at ~134 MB instead of ~143, the heap at 42 MB instead of 76); source-mapped
 * stack traces cost another ~10 MB and are opt-in.
 */
export const NODE_FLAGS = [
  '--max-semi-space-size=2',
  '--expose-gc',
  ...(process.env.NODE_SOURCE_MAPS === 'true' ? ['--enable-source-maps'] : []),
  // e.g. SERVICE_NODE_FLAGS=--optimize-for-size: identity settles at ~109 MB after a burst instead of ~134, at a CPU
  // cost not yet measured on a quiet machine, so not the default.
  ...(process.env.SERVICE_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
];

/**
 * glibc gives each thread that allocates (libuv's pool, V8's workers) an arena of its own and keeps freed memory in
 * it: an intake that rendered 200 notices grew from 160 to 209–224 MB resident with a flat 40 MB heap; with two
 * arenas it settled at 158 (approval after a burst: 140 → 126 MB). The environment is read when the process starts,
 * so it is set here and in docker/node-service.Dockerfile, not by the service.
 */
export const NODE_ENV_MEMORY = { MALLOC_ARENA_MAX: process.env.SERVICE_MALLOC_ARENA_MAX ?? '2' };

export function serviceUrl(name: string): string {
  const spec = SERVICE_SPECS.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown service ${name}`);
  return `http://127.0.0.1:${spec.port}`;
}

let building: Promise<void> | undefined;
/** One Nx invocation builds every service (cached per service): much faster than one Nx start per service. */
function buildServices(): Promise<void> {
  building ??= new Promise<void>((resolve, reject) => {
    const nx = join(ROOT, 'node_modules/.bin/nx');
    const out = openSync(logFile('services-build'), 'a');
    const child = spawn(nx, ['run-many', '-t', 'build', '-p', SERVICE_SPECS.map((s) => s.name).join(','), '--outputStyle=static'], {
      cwd: ROOT,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      stdio: ['ignore', out, out],
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`service build failed (exit ${code}); see ${logFile('services-build')}`))));
    child.on('error', reject);
  });
  return building;
}

/** The build a service runs: the newest modification time under its dist folder (a rebuild rewrites the files). */
function buildStamp(name: string): string {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  const dist = join(ROOT, 'dist', name);
  if (existsSync(dist)) walk(dist);
  return String(Math.floor(newest));
}

const stampFile = (name: string) => join(RUN_DIR, `${name}.build`);

function serviceComponent(spec: ServiceSpec): Component {
  return {
    name: spec.name,
    needs: spec.needs,
    startTimeoutSec: 60,
    prepare: () => buildServices(),
    healthy: () => httpOk(`http://127.0.0.1:${spec.port}/health/ready`),
    async start() {
      const main = join(ROOT, 'dist', spec.name, 'apps', spec.name, 'src', 'main.js');
      if (!existsSync(main)) throw new Error(`${spec.name}: ${main} is missing; the build did not run`);
      writeFileSync(stampFile(spec.name), buildStamp(spec.name));
      spawnDaemon(spec.name, process.execPath, [...NODE_FLAGS, main], {
        env: {
          NODE_ENV: process.env.NODE_ENV ?? 'development',
          ...NODE_ENV_MEMORY,
          PGHOST: PG.host,
          PGPORT: String(PG.port),
          KAFKA_BROKERS,
          ENGINE_URL,
          ...spec.env,
        },
      });
    },
    stop: () => stopDaemon(spec.name, 15_000),
    // Only an instance this tool started (it has a pid file) is restarted; one started by hand is left alone.
    async outdated() {
      if (!existsSync(pidFile(spec.name))) return false;
      const started = existsSync(stampFile(spec.name)) ? readFileSync(stampFile(spec.name), 'utf8') : '';
      return started !== buildStamp(spec.name);
    },
  };
}

export const services: Component[] = SERVICE_SPECS.map(serviceComponent);
