import type { StepEvent } from '@gov/contracts';
import type { AnyEventOf, EventOf } from '@gov/messaging';
import { LOGGER } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { CalendarProvider } from '../calendar/calendar.provider';
import { CasesRepository, suspensionsFor } from '../cases/cases.repository';
import { ClocksService } from '../cases/clocks.service';
import { RulesService } from '../rules/rules.service';
import { orgOfStep } from './step-orgs';
import { StepsRepository } from './steps.repository';

type StepEventType = 'gov.approval.step.opened' | 'gov.approval.step.completed' | 'gov.approval.step.cancelled';

/**
 * Keeps one row per step from the engine's step events, with its deadline in working days (ended suspensions of its
 * case excluded), keeps each event as a fact of its case and runs the anomaly rules it triggers.
 */
@Injectable()
export class StepEventsService {
  constructor(
    private readonly steps: StepsRepository,
    private readonly cases: CasesRepository,
    private readonly calendar: CalendarProvider,
    private readonly clocks: ClocksService,
    private readonly rules: RulesService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async opened(event: EventOf<'gov.approval.step.opened'>, manager: EntityManager): Promise<void> {
    await this.steps.open(manager, await this.rowFrom(event.data, manager));
    await this.afterwards(event, manager);
  }

  async closed(event: AnyEventOf<'gov.approval.step.completed' | 'gov.approval.step.cancelled'>, manager: EntityManager): Promise<void> {
    const d = event.data;
    // Events of one case share a partition, so "opened" normally comes first; if it was dead-lettered, open it now.
    await this.steps.open(manager, await this.rowFrom(d, manager));
    await this.steps.close(manager, d.taskId, new Date(d.completedAt ?? event.time), event.type === 'gov.approval.step.completed' ? 'completed' : 'cancelled', d.assignee);
    await this.afterwards(event, manager);
  }

  private async afterwards(event: AnyEventOf<StepEventType>, manager: EntityManager): Promise<void> {
    const d = event.data;
    const caseNumber = d.businessKey ?? d.processInstanceId;
    await this.cases.addFact(manager, caseNumber, { eventId: event.id, type: event.type, data: d, at: new Date(event.time), source: event.source });
    await this.rules.evaluate(manager, caseNumber, event, orgOfStep(d));
  }

  private async rowFrom(d: StepEvent, manager: EntityManager) {
    const calendar = await this.calendar.get();
    const caseNumber = d.businessKey ?? d.processInstanceId;
    const openedAt = new Date(d.openedAt);
    const limit = d.timeLimitWorkingDays === null ? null : Math.round(d.timeLimitWorkingDays);
    const suspensions = limit === null ? [] : suspensionsFor(await this.cases.suspensions(manager, caseNumber), d.taskId);
    const computed = limit === null ? null : calendar.deadlineWithCoverage(openedAt, limit, suspensions);
    if (computed?.provisional) {
      this.logger.warn({ caseId: caseNumber, stepId: d.taskId, deadline: computed.deadline }, 'deadline is provisional: it crosses a year whose holiday schedule is not in calendar_overrides');
      await this.clocks.warnIfProvisional(manager, calendar, openedAt, computed.deadline, { caseNumber, stepId: d.taskId });
    }
    return {
      stepId: d.taskId,
      caseNumber,
      processInstanceId: d.processInstanceId,
      taskDefinitionKey: d.taskDefinitionKey,
      name: d.name,
      candidateGroups: d.candidateGroups,
      tenantId: d.tenantId,
      openedAt,
      timeLimitWorkingDays: limit,
      deadline: computed?.deadline ?? null,
      deadlineProvisional: computed?.provisional ?? false,
      assignee: d.assignee,
    };
  }
}
