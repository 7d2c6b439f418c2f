import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { STEPS_CONSUMER } from '../steps/step-events.controller';
import { AlertStreamRepository } from '../stream/alert-stream.repository';

/**
 * Consultations (咨询, intake): a question its department left unanswered past its due time is an alert to the
 * department and the office, once per consultation (intake emits `overdue` once; the dedupe key holds across
 * redeliveries). Counts per department and period are kept by the statistics consumer.
 */
@Controller()
export class ConsultationEventsController {
  constructor(
    private readonly stream: AlertStreamRepository,
    private readonly clock: Clock,
  ) {}

  @OnEvent('gov.intake.consultation.overdue', { group: STEPS_CONSUMER })
  async overdue(event: EventOf<'gov.intake.consultation.overdue'>, ctx: InboxContext): Promise<void> {
    const d = event.data;
    await this.stream.append(ctx.manager, {
      kind: 'anomaly',
      level: 'warning',
      rule: 'consultation-overdue',
      dedupeKey: `consultation-overdue:${d.consultationId}`,
      caseNumber: d.caseNumber,
      orgCode: d.departmentCode,
      tenantId: d.tenantId,
      evidence: { consultationId: d.consultationId, matterCode: d.matterCode, askedAt: d.askedAt, dueAt: d.dueAt, overdueAt: d.overdueAt },
      raisedAt: this.clock.now(),
    });
  }
}
