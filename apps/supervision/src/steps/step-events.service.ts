import type { WorkingCalendar } from '@gov/calendar';
import type { StepEvent } from '@gov/contracts';
import type { AnyEventOf, EventOf } from '@gov/messaging';
import { LOGGER } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { CalendarProvider } from '../calendar/calendar.provider';
import { StepsRepository } from './steps.repository';

/** Keeps one row per step from the engine's step events, with its deadline in working days. */
@Injectable()
export class StepEventsService {
  constructor(
    private readonly steps: StepsRepository,
    private readonly calendar: CalendarProvider,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async opened(event: EventOf<'gov.approval.step.opened'>, manager: EntityManager): Promise<void> {
    await this.steps.open(manager, this.rowFrom(event.data, await this.calendar.get()));
  }

  async closed(event: AnyEventOf<'gov.approval.step.completed' | 'gov.approval.step.cancelled'>, manager: EntityManager): Promise<void> {
    const d = event.data;
    // Events of one case share a partition, so "opened" normally comes first; if it was dead-lettered, open it now.
    await this.steps.open(manager, this.rowFrom(d, await this.calendar.get()));
    await this.steps.close(manager, d.taskId, new Date(d.completedAt ?? event.time), event.type === 'gov.approval.step.completed' ? 'completed' : 'cancelled');
  }

  private rowFrom(d: StepEvent, calendar: WorkingCalendar) {
    const openedAt = new Date(d.openedAt);
    const limit = d.timeLimitWorkingDays === null ? null : Math.round(d.timeLimitWorkingDays);
    const computed = limit === null ? null : calendar.deadlineWithCoverage(openedAt, limit);
    if (computed?.provisional) {
      this.logger.warn({ caseId: d.businessKey, stepId: d.taskId, deadline: computed.deadline }, 'deadline is provisional: it crosses a year whose holiday schedule is not in calendar_overrides');
    }
    return {
      stepId: d.taskId,
      caseNumber: d.businessKey ?? d.processInstanceId,
      processInstanceId: d.processInstanceId,
      taskDefinitionKey: d.taskDefinitionKey,
      name: d.name,
      candidateGroups: d.candidateGroups,
      tenantId: d.tenantId,
      openedAt,
      timeLimitWorkingDays: limit,
      deadline: computed?.deadline ?? null,
      deadlineProvisional: computed?.provisional ?? false,
    };
  }
}
