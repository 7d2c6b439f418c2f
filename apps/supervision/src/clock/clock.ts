import { Injectable } from '@nestjs/common';

/** The supervision clock. Injectable so tests (and demos, when enabled) can move time forward. */
export abstract class Clock {
  abstract now(): Date;
}

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

  get offset(): number {
    return this.offsetMs;
  }
}
