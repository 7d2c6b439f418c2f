import type { WorkingCalendar } from '@gov/calendar';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarProvider } from '../calendar/calendar.provider';
import { Clock } from '../clock/clock';
import { StepsRepository } from '../steps/steps.repository';
import { orgOfStep } from '../steps/step-orgs';
import { AlertStreamRepository } from '../stream/alert-stream.repository';
import { CasesRepository, suspensionsFor } from './cases.repository';

const CST_MS = 8 * 3600 * 1000;
const yearOf = (d: Date): number => new Date(d.getTime() + CST_MS).getUTCFullYear();

/**
 * Deadlines in working days (@gov/calendar): steps and cases (statutory and promised), ended suspensions excluded,
 * recomputed when a suspension ends or the calendar changes. A deadline that crosses a year whose holiday schedule is
 * not entered yet is provisional, and the office is warned once per year on the alert stream.
 */
@Injectable()
export class ClocksService {
  constructor(
    private readonly calendar: CalendarProvider,
    private readonly cases: CasesRepository,
    private readonly steps: StepsRepository,
    private readonly stream: AlertStreamRepository,
    private readonly clock: Clock,
  ) {}

  /** Warns (once per year) that deadlines crossing `from`..`to` are provisional because a year's schedule is missing. */
  async warnIfProvisional(m: EntityManager, calendar: WorkingCalendar, from: Date, to: Date, context: Record<string, unknown>): Promise<void> {
    for (let y = yearOf(from); y <= yearOf(to); y++) {
      if (calendar.coversYear(y)) continue;
      await this.stream.append(m, {
        kind: 'calendar',
        level: 'warning',
        rule: 'calendar.schedule-missing',
        dedupeKey: `calendar:missing:${y}`,
        evidence: { year: y, message: `The ${y} holiday schedule is not entered: deadlines crossing ${y} are provisional (enter it at PUT /calendar/years/${y}).`, firstSeen: context },
        raisedAt: this.clock.now(),
      });
    }
  }

  /** Recomputes the case's and its open steps' deadlines from their start, limits and ended suspensions. */
  async recomputeCase(m: EntityManager, caseNumber: string): Promise<void> {
    const calendar = await this.calendar.get();
    const suspensions = await this.cases.suspensions(m, caseNumber);
    const kase = await this.cases.get(m, caseNumber, true);
    if (kase && !kase.decidedAt) {
      const all = suspensionsFor(suspensions);
      const statutory = calendar.deadlineWithCoverage(kase.acceptedAt, kase.statutoryLimitWorkingDays, all);
      const promised = kase.promisedLimitWorkingDays === null ? null : calendar.deadlineWithCoverage(kase.acceptedAt, kase.promisedLimitWorkingDays, all);
      await this.cases.setDeadlines(m, caseNumber, statutory.deadline, promised?.deadline ?? null, statutory.provisional || (promised?.provisional ?? false));
    }
    for (const step of await this.steps.openForCase(m, caseNumber)) {
      if (step.timeLimitWorkingDays === null) continue;
      const d = calendar.deadlineWithCoverage(step.openedAt, step.timeLimitWorkingDays, suspensionsFor(suspensions, step.stepId));
      await this.steps.setDeadline(m, step, d.deadline, d.provisional);
    }
  }

  /** After a year's schedule is entered: every open provisional deadline is computed again. Returns how many moved. */
  async recomputeProvisional(m: EntityManager): Promise<{ steps: number; cases: number }> {
    const calendar = await this.calendar.get();
    let steps = 0;
    for (const step of await this.steps.openProvisional(m)) {
      const d = calendar.deadlineWithCoverage(step.openedAt, step.timeLimitWorkingDays ?? 0, suspensionsFor(await this.cases.suspensions(m, step.caseNumber), step.stepId));
      await this.steps.setDeadline(m, step, d.deadline, d.provisional);
      steps++;
    }
    const cases = await this.cases.openProvisional(m);
    for (const c of cases) await this.recomputeCase(m, c.caseNumber);
    return { steps, cases: cases.length };
  }

  /** The organisation a step belongs to, for alerts. */
  orgOf = orgOfStep;
}
