import { type ChildProcess, fork } from 'node:child_process';
import { extname, join } from 'node:path';
import { getPriority, setPriority } from 'node:os';
import type { Logger } from 'pino';
import { NoticeRenderer, type RenderInput } from './notice-renderer';
import type { RenderReply, RenderRequest } from './render-process';

export interface ProcessRendererOptions {
  fontPackage: string;
  /** Niceness of the child above the service's own (0 = as the service; at most 19 in all): it yields the CPU to requests. */
  nice: number;
  /** The child exits after this long without work, giving back the fonts and the PDF code's memory. */
  idleMs: number;
  /** A render that takes longer kills the child (the notice is rendered again by the next attempt). */
  timeoutMs: number;
  logger: Logger;
}

interface Pending {
  resolve: (pdf: Buffer) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Renders notices in a child process (render-process.ts), started on first use, at a lower CPU priority, and ended
 * when idle. A child that dies or overruns fails the renders it held (the issuer leaves those notices `sealing` and
 * the sealer renders them again); the next render starts a new child.
 */
export class ProcessNoticeRenderer extends NoticeRenderer {
  private child?: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: ProcessRendererOptions) {
    super();
  }

  render(input: RenderInput): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('the notice renderer is shut down'));
    const child = this.child ?? this.start();
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.options.logger.warn({ render: id, timeoutMs: this.options.timeoutMs }, 'a notice took too long to render; restarting the renderer');
        this.stopChild(child, new Error(`rendering took longer than ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      child.send({ id, input } satisfies RenderRequest, (e) => {
        if (e) this.settle(id, new Error(`could not hand the notice to the renderer: ${e.message}`));
      });
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

  /** Nest calls it on shutdown (the provider is this instance). */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    this.stopChild(child, new Error('the notice renderer is shut down'));
    await exited;
  }

  private start(): ChildProcess {
    const entry = join(__dirname, `render-process${extname(__filename)}`);
    // From TypeScript sources (tests, tsx tools) the child compiles itself as it loads; built services run the .js.
    const fromSource = extname(__filename) === '.ts';
    const child = fork(entry, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      execArgv: fromSource ? ['-r', '@swc-node/register'] : [],
      env: { ...process.env, NOTICE_FONT_PACKAGE: this.options.fontPackage, ...(fromSource ? { SWC_NODE_PROJECT: join(__dirname, '../../../tsconfig.json') } : {}) },
    });
    this.child = child;
    if (child.pid !== undefined && this.options.nice > 0) {
      try {
        setPriority(child.pid, Math.min(19, getPriority() + this.options.nice));
      } catch (e) {
        this.options.logger.warn({ err: e }, 'could not lower the notice renderer’s priority; it runs at the service’s');
      }
    }
    child.on('message', (reply: RenderReply) => {
      this.settle(reply.id, reply.ok ? undefined : new Error(reply.error), reply.ok ? Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength) : undefined);
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.pending.size > 0) this.options.logger.warn({ code, signal, pending: this.pending.size }, 'the notice renderer exited with renders under way');
      for (const id of [...this.pending.keys()]) this.settle(id, new Error(`the notice renderer exited (${signal ?? code})`));
    });
    child.on('error', (e) => this.options.logger.warn({ err: e }, 'notice renderer process error'));
    return child;
  }

  private settle(id: number, error?: Error, pdf?: Buffer): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (error || !pdf) p.reject(error ?? new Error('the renderer answered without a PDF'));
    else p.resolve(pdf);
    if (this.pending.size === 0 && this.child) {
      const child = this.child;
      this.idleTimer = setTimeout(() => {
        if (this.pending.size === 0 && this.child === child) this.stopChild(child);
      }, this.options.idleMs);
      this.idleTimer.unref();
    }
  }

  private stopChild(child: ChildProcess, reason?: Error): void {
    if (this.child === child) this.child = undefined;
    for (const id of [...this.pending.keys()]) this.settle(id, reason ?? new Error('the notice renderer stopped'));
    child.kill('SIGKILL');
  }
}
