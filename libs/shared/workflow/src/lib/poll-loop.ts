export interface PollLoopOptions<T> {
  /** One fetch of at most `max` items; may wait (long polling) until `signal` aborts it. */
  fetch(max: number, signal: AbortSignal): Promise<T[]>;
  /** Runs one item; the loop counts it as running until the promise settles. */
  dispatch(item: T): Promise<void>;
  /** Items running at once; the loop fetches only for free slots and waits for a slot when none is free. */
  maxParallel: number;
  onError(e: unknown): void;
  /** Pause after a fetch that returned nothing. 0 with long polling: the fetch itself waited. */
  idleMs: number;
  /** First pause after a failed fetch; doubles per consecutive failure up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * The fetch loop of the workers, driven here rather than by the client library (which sleeps `interval` after every
 * poll, work or not): after a fetch that returned work the next fetch starts at once, a full house waits for a slot
 * to free (no timer), an empty fetch pauses `idleMs` (0 with long polling) and a failed one backs off.
 */
export class PollLoop<T> {
  private running = false;
  private active = 0;
  private loop?: Promise<void>;
  private abort?: AbortController;
  private wake?: () => void;
  private waitingForSlot = false;

  constructor(private readonly o: PollLoopOptions<T>) {}

  get runningItems(): number {
    return this.active;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops fetching (aborting a long poll in flight); items already dispatched keep running. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort?.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const free = this.o.maxParallel - this.active;
      if (free <= 0) {
        await this.pause(undefined);
        continue;
      }
      const abort = new AbortController();
      this.abort = abort;
      let items: T[];
      try {
        items = await this.o.fetch(free, abort.signal);
        failures = 0;
      } catch (e) {
        if (!this.running) break;
        failures += 1;
        this.o.onError(e);
        await this.pause(Math.min((this.o.backoffMs ?? 500) * 2 ** (failures - 1), this.o.maxBackoffMs ?? 30_000));
        continue;
      }
      for (const item of items) {
        this.active += 1;
        void this.o
          .dispatch(item)
          .catch((e: unknown) => this.o.onError(e))
          .finally(() => {
            this.active -= 1;
            if (this.waitingForSlot) this.wake?.();
          });
      }
      if (items.length === 0 && this.o.idleMs > 0) await this.pause(this.o.idleMs);
    }
  }

  /** Waits for `ms` (or, when undefined, until a slot frees), or until stop(). */
  private pause(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      if (!this.running) {
        resolve();
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        this.wake = undefined;
        this.waitingForSlot = false;
        resolve();
      };
      if (ms !== undefined) timer = setTimeout(done, ms);
      this.waitingForSlot = ms === undefined;
      this.wake = done;
    });
  }
}
