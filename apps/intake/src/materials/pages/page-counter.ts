import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import { WorkerCrashError, WorkerJobError, WorkerProcess, WorkerTimeoutError } from '../../common/worker-process';
import type { PageCountRequest } from './page-count';

export interface PageCounterOptions {
  /** Niceness of the counting process above the service's own. */
  nice: number;
  /** The counting process exits after this long without work. */
  idleMs: number;
  /** A count taking more CPU time than this (or 4 × this of wall time) kills the process and the file is refused as unreadable. */
  timeoutMs: number;
  /** However little CPU it used, a count still under way after this long (wall time) is cut the same way. Default 4 × timeoutMs. */
  wallTimeoutMs?: number;
  /** The counting process's heap limit (MiB): a file that needs more crashes it and is refused as unreadable. */
  maxOldSpaceMb: number;
  logger: Logger;
}

/** The file's own fault: its pages could not be counted (the page tree unreadable, none, too slow, too big). */
export type PageCount = { ok: true; pages: number } | { ok: false; reason: 'unreadable' | 'timeout' | 'memory'; message: string };

/**
 * Counts the pages of received PDFs and OFDs in a child process (page-count-process.ts) run by the shared
 * WorkerProcess, as notices are rendered: never on the service's event loop, bounded in time and heap. A file that
 * cannot be counted answers `ok: false` (the upload refuses it); a counter that cannot run at all throws
 * (WorkerUnavailableError), which is no verdict on the file.
 */
export class PageCounter {
  private readonly worker: WorkerProcess<PageCountRequest, number>;

  constructor(private readonly options: PageCounterOptions) {
    this.worker = new WorkerProcess({
      name: 'page counter',
      entry: join(__dirname, `page-count-process${extname(__filename)}`),
      nice: options.nice,
      idleMs: options.idleMs,
      timeoutMs: options.timeoutMs,
      ...(options.wallTimeoutMs ? { wallTimeoutMs: options.wallTimeoutMs } : {}),
      maxOldSpaceMb: options.maxOldSpaceMb,
      logger: options.logger,
    });
  }

  async count(request: PageCountRequest): Promise<PageCount> {
    try {
      return { ok: true, pages: await this.worker.run(request) };
    } catch (e) {
      if (e instanceof WorkerJobError) return { ok: false, reason: 'unreadable', message: e.message };
      if (e instanceof WorkerTimeoutError) {
        return { ok: false, reason: 'timeout', message: `counting its pages took longer than ${e.limitMs} ms${e.measure === 'cpu' ? '' : ' (wall time)'}` };
      }
      if (e instanceof WorkerCrashError) return { ok: false, reason: 'memory', message: `reading it took more than the ${this.options.maxOldSpaceMb} MiB allowed` };
      throw e;
    }
  }

  get running(): boolean {
    return this.worker.running;
  }

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
