// Helpers shared by the stack tool's components: process supervision, health polling, progress output.
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const STATE_DIR = process.env.STACK_STATE_DIR ?? join(ROOT, '.stack');
export const LOG_DIR = join(STATE_DIR, 'logs');
export const RUN_DIR = join(STATE_DIR, 'run');
export const DATA_DIR = join(STATE_DIR, 'data');
export const CACHE_DIR = join(STATE_DIR, 'cache');
for (const dir of [LOG_DIR, RUN_DIR, DATA_DIR, CACHE_DIR]) mkdirSync(dir, { recursive: true });

export interface Component {
  /** Short name, used for logs/<name>.log and run/<name>.pid. */
  name: string;
  /** Components that must be healthy before this one starts. */
  needs: string[];
  /** Build or download what the component needs; must be cached and fast on the second run. */
  prepare?(): Promise<void>;
  /** A real health check (HTTP endpoint, protocol handshake), not just "the pid exists". */
  healthy(): Promise<boolean>;
  /** Start in the background; return once spawned. The tool then waits on healthy(). */
  start(): Promise<void>;
  /** Stop cleanly (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** Seconds to wait for healthy() after start(). */
  startTimeoutSec?: number;
  /** 'task' components (topic creation, flow deployment) run start() on every `up` and are not health-polled. */
  kind?: 'daemon' | 'task';
  /** Runs after the component is healthy (deploy flows, create topics, seed data); must be idempotent. */
  afterStart?(opts: { demo: boolean }): Promise<void>;
  /** True when the running instance was started from an older build than the one on disk: `up` restarts it. */
  outdated?(): Promise<boolean>;
}

const t0 = Date.now();
export function progress(component: string, message: string): void {
  const secs = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${secs}s] ${component.padEnd(12)} ${message}\n`);
}

export function logFile(name: string): string {
  return join(LOG_DIR, `${name}.log`);
}
export function pidFile(name: string): string {
  return join(RUN_DIR, `${name}.pid`);
}

export function readPid(name: string): number | undefined {
  const file = pidFile(name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Spawn a detached daemon whose stdout/stderr append to logs/<name>.log; its pid goes to run/<name>.pid. */
export function spawnDaemon(name: string, command: string, args: string[], options: SpawnOptions = {}): number {
  const out = openSync(logFile(name), 'a');
  const child = spawn(command, args, {
    cwd: ROOT,
    ...options,
    env: { ...process.env, ...(options.env ?? {}) },
    detached: true,
    stdio: ['ignore', out, out],
  });
  if (!child.pid) throw new Error(`${name}: could not spawn ${command}`);
  child.unref();
  writeFileSync(pidFile(name), String(child.pid));
  return child.pid;
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Stop the process group recorded for `name`: SIGTERM, wait, then SIGKILL. */
export async function stopDaemon(name: string, graceMs = 15_000): Promise<void> {
  const pid = readPid(name);
  if (pid && isAlive(pid)) {
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(200);
    if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  }
  rmSync(pidFile(name), { force: true });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutSec: number): Promise<void> {
  const deadline = Date.now() + timeoutSec * 1000;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutSec}s waiting for ${what}`);
    await sleep(300);
  }
}

export async function httpOk(url: string, init?: RequestInit): Promise<boolean> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

export function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolveOpen(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Run a command in the foreground, appending its output to logs/<logName>.log; throws with the log path on failure. */
export function runLogged(logName: string, command: string, args: string[], options: SpawnOptions = {}): void {
  const out = openSync(logFile(logName), 'a');
  const res = spawnSync(command, args, { cwd: ROOT, ...options, env: { ...process.env, ...(options.env ?? {}) }, stdio: ['ignore', out, out] });
  if (res.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${res.status ?? res.signal}); see ${logFile(logName)}`);
  }
}

export function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}
