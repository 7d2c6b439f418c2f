import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import { WorkerProcess } from '../../common/worker-process';
import { NoticeRenderer, type RenderInput } from './notice-renderer';

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

/**
 * Renders notices in a child process (render-process.ts) run by the shared WorkerProcess: started on first use, at a
 * lower CPU priority, ended when idle. A render that dies or overruns fails (the issuer leaves that notice `sealing`
 * and the sealer renders it again); the notices queued behind it are rendered by a new child.
 */
export class ProcessNoticeRenderer extends NoticeRenderer {
  private readonly worker: WorkerProcess<RenderInput, Uint8Array>;

  constructor(options: ProcessRendererOptions) {
    super();
    this.worker = new WorkerProcess({
      name: 'notice renderer',
      entry: join(__dirname, `render-process${extname(__filename)}`),
      nice: options.nice,
      idleMs: options.idleMs,
      timeoutMs: options.timeoutMs,
      env: { NOTICE_FONT_PACKAGE: options.fontPackage },
      logger: options.logger,
    });
  }

  async render(input: RenderInput): Promise<Buffer> {
    const pdf = await this.worker.run(input);
    return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  }

  /** Whether a child process is running (for tests and the idle check). */
  get running(): boolean {
    return this.worker.running;
  }

  /** The child's pid, when one runs. */
  get pid(): number | undefined {
    return this.worker.pid;
  }

  /** Nest calls it on shutdown (the provider is this instance). */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}
