import { Injectable } from '@nestjs/common';

/**
 * Approval's clock, for the worklist lights and remaining working days. Injectable so tests move time forward
 * (`ApprovalModule.forRoot(config, logger, clock)`); production uses the system clock.
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

/** A clock tests move forward; it starts at the system time. */
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
}
