import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * Runs `round` every `intervalMs` (0: never), one round at a time: the next is scheduled only after the previous
 * settled, a failed round is reported and the next one tries again, and `stop()` waits for a round in progress.
 * With `atStart`, the first round runs at `start()` (a reconciler finishing what a crash left). `stopping` tells a
 * long round to end early. The timer does not keep the process alive.
 */
export class Periodic {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly round: () => Promise<unknown>,
    private readonly onError: (e: unknown) => void,
    private readonly options: { atStart?: boolean } = {},
  ) {}

  get stopping(): boolean {
    return this.stopped;
  }

  start(): void {
    if (this.options.atStart) this.runThenSchedule();
    else if (this.intervalMs > 0) this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.runThenSchedule(), this.intervalMs);
    this.timer.unref();
  }

  private runThenSchedule(): void {
    if (this.stopped) return;
    this.running = this.round()
      .catch(this.onError)
      .finally(() => {
        if (this.intervalMs > 0) this.schedule();
      });
  }
}

/**
 * A Nest provider whose work is one `Periodic` for the application's life: started once the application has
 * bootstrapped (`enabled` can switch it off, e.g. by configuration), stopped at shutdown, waiting for a round in
 * progress. Subclasses create `periodic` in their constructor.
 */
export abstract class PeriodicService implements OnApplicationBootstrap, OnApplicationShutdown {
  protected abstract readonly periodic: Periodic;

  protected get enabled(): boolean {
    return true;
  }

  onApplicationBootstrap(): void {
    if (this.enabled) this.periodic.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }
}
