import { getHeapStatistics } from 'node:v8';
import type { Logger } from 'pino';

export interface IdleGcOptions {
  /** How long without an HTTP request counts as idle. */
  idleMs?: number;
  /** Heap growth since the last collection that is worth one (smaller growth is left to V8). */
  minGrowthBytes?: number;
  /** The collector; `globalThis.gc` (node --expose-gc) by default. */
  gc?: () => void;
}

/**
 * Gives memory back once a burst of work is over. V8 leaves the garbage of a burst in the old generation of an idle
 * process for a long time (its memory reducer is cautious), so a service that served a few hundred requests sat at
 * 140+ MB resident where a fresh one sits at 110. When the process has been idle for `idleMs` (no HTTP request), one
 * full collection runs: a pause of tens of
 * milliseconds while nothing is being served; once after start-up and after each burst of requests, and otherwise when
 * background work (consumers, workers) grew the heap by `minGrowthBytes`. Needs `node --expose-gc` (tools/stack, the images); without a
 * collector it does nothing. Returns the stop function and the request hook.
 */
export function startIdleGc(logger: Logger, options: IdleGcOptions = {}): { touch: () => void; stop: () => void } | undefined {
  const gc = options.gc ?? (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return undefined;
  const idleMs = options.idleMs ?? 10_000;
  const minGrowth = options.minGrowthBytes ?? 8 * 1024 * 1024;
  let lastRequest = 0;
  // Start-up is a burst too (module graph, migrations, seeds): the first idle period collects its garbage.
  let served = true;
  let baseline = getHeapStatistics().used_heap_size;
  const timer = setInterval(() => {
    if (Date.now() - lastRequest < idleMs) return;
    const used = getHeapStatistics().used_heap_size;
    // After requests, once; otherwise (consumers, workers, timers) when the heap grew by minGrowth since the last one.
    if (!served && used - baseline < minGrowth) return;
    served = false;
    const started = Date.now();
    gc();
    baseline = getHeapStatistics().used_heap_size;
    logger.debug({ beforeMiB: Math.round(used / 1048576), afterMiB: Math.round(baseline / 1048576), ms: Date.now() - started }, 'idle: heap collected');
  }, Math.max(1000, Math.floor(idleMs / 2)));
  timer.unref();
  return {
    touch: () => {
      lastRequest = Date.now();
      served = true;
    },
    stop: () => clearInterval(timer),
  };
}
