import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import type { WorkerMessage, WorkerRequest } from './worker-child';

export interface WorkerProcessOptions {
  /** What the worker does, in log lines and errors: 'notice renderer', 'page counter'. */
  name: string;
  /** The child's module (a .ts source in tests and tsx tools, the built .js in the service); it calls `serveWorker`. */
  entry: string;
  /** Niceness of the child above the service's own (0 = as the service; at most 19 in all): it yields the CPU to requests. */
  nice: number;
  /** The child exits after this long without work, giving back the memory of the code it loaded. */
  idleMs: number;
  /**
   * A job that takes more than this of the child's CPU time kills the child; that job fails, the jobs queued behind
   * it go to a new child. CPU time, not wall time, where the system tells it (Linux /proc): a niced child that waits for
   * the CPU on a busy machine is not cut short for the wait. Wall time elsewhere.
   */
  timeoutMs: number;
  /** However little CPU it used, a job still under way after this long (wall time) fails the same way. Default 4 × timeoutMs. */
  wallTimeoutMs?: number;
  /** V8's old-space limit of the child (--max-old-space-size), in MiB; a job that needs more crashes the child, not the service. */
  maxOldSpaceMb?: number;
  /** A child not ready after this long (loading its code) is killed and the jobs waiting fail as unavailable. Default 30 s. */
  startTimeoutMs?: number;
  /** Extra environment of the child. */
  env?: Record<string, string>;
  logger: Logger;
}

/** The job ran past `timeoutMs` of CPU time (or `wallTimeoutMs`): the child was killed. The job's input is the likely cause. */
export class WorkerTimeoutError extends Error {
  constructor(
    message: string,
    readonly limitMs: number,
    readonly measure: 'cpu' | 'wall',
  ) {
    super(message);
  }
}
/** The child died while it ran the job (out of memory, killed). The job's input is the likely cause. */
export class WorkerCrashError extends Error {}
/** The worker could not take the job (it could not start, or it is shut down): nothing to do with the input. */
export class WorkerUnavailableError extends Error {}
/** The child ran the job and answered with an error (the handler threw). */
export class WorkerJobError extends Error {}

interface Job<Req, Res> {
  id: number;
  payload: Req;
  resolve: (r: Res) => void;
  reject: (e: Error) => void;
}

/**
 * Runs jobs in a child process (see worker-child.ts), started on first use, at a lower CPU priority, with a bounded
 * heap, and ended when idle. The parent holds the queue and sends the child one job at a time, so each job's time
 * limit counts its own work only (never the wait behind others, nor the child's start), and a job that overruns or
 * crashes the child fails alone: the jobs behind it go to the next child. Shared by the notice renderer and the page
 * counter of materials, each with its own child (a page count never waits behind a notice).
 */
export class WorkerProcess<Req, Res> {
  private child?: ChildProcess;
  private ready = false;
  private readonly queue: Array<Job<Req, Res>> = [];
  private current?: { job: Job<Req, Res>; timer: NodeJS.Timeout; startedAt: number; cpuAtStart: number | undefined };
  private nextId = 1;
  private idleTimer?: NodeJS.Timeout;
  private startTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: WorkerProcessOptions) {}

  run(payload: Req): Promise<Res> {
    if (this.closed) return Promise.reject(new WorkerUnavailableError(`the ${this.options.name} is shut down`));
    clearTimeout(this.idleTimer);
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, payload, resolve, reject });
      this.pump();
    });
  }

  /** Whether a child process is running (for tests and the idle check). */
  get running(): boolean {
    return this.child !== undefined;
  }

  /** The child's pid, when one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Jobs waiting for the child (not counting the one it runs). */
  get waiting(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const job of this.queue.splice(0)) job.reject(new WorkerUnavailableError(`the ${this.options.name} is shut down`));
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    this.stopChild(child, new WorkerUnavailableError(`the ${this.options.name} is shut down`));
    await exited;
  }

  /** Sends the next job when the child is ready and free; starts a child when there is work and none runs. */
  private pump(): void {
    if (this.closed || this.current) return;
    if (this.queue.length === 0) {
      this.armIdle();
      return;
    }
    const child = this.child ?? this.start();
    if (!this.ready) return;
    const job = this.queue.shift() as Job<Req, Res>;
    this.current = { job, timer: this.armTimeout(child, job, this.options.timeoutMs), startedAt: Date.now(), cpuAtStart: cpuMsOf(child.pid) };
    child.send({ id: job.id, payload: job.payload } satisfies WorkerRequest<Req>, (e) => {
      if (e) this.finish(job.id, new WorkerUnavailableError(`could not hand the job to the ${this.options.name}: ${e.message}`));
    });
  }

  /** Checks the job after `ms`: past its CPU time (or its wall time) it fails, else the check comes back when it could be. */
  private armTimeout(child: ChildProcess, job: Job<Req, Res>, ms: number): NodeJS.Timeout {
    return setTimeout(() => {
      const current = this.current;
      if (!current || current.job !== job) return;
      const { timeoutMs } = this.options;
      const wallTimeoutMs = this.options.wallTimeoutMs ?? 4 * timeoutMs;
      const wall = Date.now() - current.startedAt;
      const now = cpuMsOf(child.pid);
      const cpu = current.cpuAtStart === undefined || now === undefined ? wall : now - current.cpuAtStart;
      if (cpu < timeoutMs && wall < wallTimeoutMs) {
        // waiting for the CPU, not working: look again once the job could have used up its time
        current.timer = this.armTimeout(child, job, Math.max(10, Math.min(timeoutMs - cpu, wallTimeoutMs - wall)));
        return;
      }
      this.options.logger.warn({ job: job.id, timeoutMs, cpuMs: cpu, wallMs: wall }, `${this.options.name}: a job took too long; restarting the process`);
      const [limitMs, measure] = cpu >= timeoutMs ? [timeoutMs, 'cpu' as const] : [wallTimeoutMs, 'wall' as const];
      this.stopChild(child, new WorkerTimeoutError(`the ${this.options.name} took longer than ${limitMs} ms${measure === 'cpu' ? '' : ' (wall time)'}`, limitMs, measure));
    }, ms);
  }

  private armIdle(): void {
    const child = this.child;
    if (!child) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.queue.length === 0 && !this.current && this.child === child) this.stopChild(child);
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  private start(): ChildProcess {
    const { entry } = this.options;
    // From TypeScript sources (tests, tsx tools) the child compiles itself as it loads; built services run the .js.
    const fromSource = extname(entry) === '.ts';
    const execArgv = [...(fromSource ? ['-r', '@swc-node/register'] : []), ...(this.options.maxOldSpaceMb ? [`--max-old-space-size=${this.options.maxOldSpaceMb}`] : [])];
    const child = fork(entry, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      execArgv,
      env: { ...process.env, ...this.options.env, ...(fromSource ? { SWC_NODE_PROJECT: join(__dirname, '../../tsconfig.json') } : {}) },
    });
    this.child = child;
    this.ready = false;
    if (child.pid !== undefined && this.options.nice > 0) {
      try {
        setPriority(child.pid, Math.min(19, getPriority() + this.options.nice));
      } catch (e) {
        this.options.logger.warn({ err: e }, `could not lower the ${this.options.name}’s priority; it runs at the service’s`);
      }
    }
    this.startTimer = setTimeout(() => {
      this.options.logger.warn({ startTimeoutMs: this.startTimeoutMs, waiting: this.queue.length }, `the ${this.options.name} did not start in time`);
      this.stopChild(child);
      for (const job of this.queue.splice(0)) job.reject(new WorkerUnavailableError(`the ${this.options.name} did not start within ${this.startTimeoutMs} ms`));
    }, this.startTimeoutMs);
    child.on('message', (message: WorkerMessage<Res>) => {
      if (this.child !== child) return;
      if ('ready' in message) {
        clearTimeout(this.startTimer);
        this.ready = true;
        this.pump();
        return;
      }
      this.finish(message.id, message.ok ? undefined : new WorkerJobError(message.error), message.ok ? message.result : undefined);
    });
    child.once('exit', (code, signal) => this.exited(child, code, signal));
    child.on('error', (e) => this.options.logger.warn({ err: e }, `${this.options.name} process error`));
    return child;
  }

  private get startTimeoutMs(): number {
    return this.options.startTimeoutMs ?? 30_000;
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    const wasReady = this.ready;
    this.child = undefined;
    this.ready = false;
    clearTimeout(this.startTimer);
    if (this.current) {
      this.options.logger.warn({ code, signal, job: this.current.job.id }, `the ${this.options.name} exited with a job under way`);
      this.finish(this.current.job.id, new WorkerCrashError(`the ${this.options.name} exited (${signal ?? code}) while it ran the job`));
      return;
    }
    if (!wasReady && this.queue.length > 0) {
      // It died loading its own code: every job waiting would kill the next one the same way.
      this.options.logger.warn({ code, signal, waiting: this.queue.length }, `the ${this.options.name} could not start`);
      for (const job of this.queue.splice(0)) job.reject(new WorkerUnavailableError(`the ${this.options.name} could not start (${signal ?? code})`));
    }
  }

  private finish(id: number, error?: Error, result?: Res): void {
    const current = this.current;
    if (!current || current.job.id !== id) return;
    this.current = undefined;
    clearTimeout(current.timer);
    if (error) current.job.reject(error);
    else current.job.resolve(result as Res);
    this.pump();
  }

  /** Kills the child; the job it ran fails with `reason`, the queued ones go to the next child. */
  private stopChild(child: ChildProcess, reason?: Error): void {
    if (this.child === child) {
      this.child = undefined;
      this.ready = false;
      clearTimeout(this.startTimer);
    }
    const current = this.current;
    if (current) this.finish(current.job.id, reason ?? new WorkerUnavailableError(`the ${this.options.name} stopped`));
    child.kill('SIGKILL');
  }
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux; clock ticks of 10 ms); undefined elsewhere. */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ');
    // after "pid (comm) ": state is field 0, utime 11, stime 12 (fields 14 and 15 of proc(5))
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
