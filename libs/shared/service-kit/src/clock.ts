import { Injectable } from '@nestjs/common';

/**
 * A service's clock: deadlines, lights, receipts and working-day counts read it rather than `new Date()`. Injectable,
 * so tests (and, where a service enables it, demos) move time forward; production binds the system clock.
 */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that starts at the system time and only moves forward. */
@Injectable()
export class AdjustableClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('the clock only moves forward');
    this.offsetMs += ms;
    return this.now();
  }

  /** Sets the clock to an instant at or after the current one. */
  set(at: Date): void {
    this.advance(at.getTime() - this.now().getTime());
  }

  /** How far ahead of the system time it runs, in ms. */
  get offset(): number {
    return this.offsetMs;
  }
}
