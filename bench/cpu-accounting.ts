// CPU time per component of the local stack, for benchmarks: where a phase's work goes, in CPU seconds, which a
// loaded or shared machine changes far less than it changes wall time. A component's CPU is its process tree's:
// the process's own user+system time, the time of its children that have exited and been reaped (cutime, cstime;
// PostgreSQL's backends, intake's renderer child) and the time of its live descendants. Linux only (/proc).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number; // utime + stime + cutime + cstime
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces: the fields after the last ')' are space-separated.
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const f = text.slice(close + 2).split(' ');
    // f[0] = state (field 3); utime = field 14 → f[11], stime f[12], cutime f[13], cstime f[14]; ppid = field 4 → f[1]
    return { pid, ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

function allProcesses(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) out.push(s);
  }
  return out;
}

/** CPU seconds of each named process tree now. */
export type CpuSnapshot = Record<string, number>;

/**
 * The roots to account: each stack component's pid file under `.stack/run`, and the machine's PostgreSQL
 * postmaster (the oldest `postgres` process whose parent is not itself a `postgres`).
 */
export function stackRoots(repoRoot: string): Record<string, number> {
  const roots: Record<string, number> = {};
  for (const name of ['identity', 'intake', 'approval', 'supervision', 'engine', 'kafka']) {
    try {
      const pid = Number(readFileSync(join(repoRoot, '.stack', 'run', `${name}.pid`), 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && readStat(pid)) roots[name] = pid;
    } catch {
      // not started by the stack tool: not accounted
    }
  }
  const procs = allProcesses();
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const postmaster = procs.filter((p) => p.comm === 'postgres' && byPid.get(p.ppid)?.comm !== 'postgres').sort((a, b) => a.pid - b.pid)[0];
  if (postmaster) roots.postgres = postmaster.pid;
  return roots;
}

/** Each root's tree CPU seconds, plus `bench` (this process). */
export function cpuSnapshot(roots: Record<string, number>): CpuSnapshot {
  const procs = allProcesses();
  const children = new Map<number, ProcStat[]>();
  for (const p of procs) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const tree = (pid: number): number => {
    let ticks = byPid.get(pid)?.ticks ?? 0;
    for (const c of children.get(pid) ?? []) ticks += tree(c.pid);
    return ticks;
  };
  const snap: CpuSnapshot = {};
  for (const [name, pid] of Object.entries(roots)) snap[name] = tree(pid) / TICKS_PER_SECOND;
  const own = process.cpuUsage();
  snap.bench = (own.user + own.system) / 1e6;
  return snap;
}

/** CPU seconds each component spent between two snapshots (a component missing from either is left out). */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  const out: CpuSnapshot = {};
  for (const [k, v] of Object.entries(after)) if (before[k] !== undefined) out[k] = Math.max(0, v - before[k]);
  return out;
}
