import type { CaseDecidedData } from '@gov/contracts';
import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { chineseDateOf } from '../notices/notice-kinds';
import { NotificationsService } from './notifications.service';

/** The inbox consumer group that tells applicants about decisions (also the inbox's consumer name: keep it stable). */
export const DECISION_NOTIFY_CONSUMER = 'intake.notify-decision';

/**
 * Tells the applicant that their case was decided (the decision itself is sealed and issued by approval). One
 * notification per case and channel, however often the event is delivered.
 */
@Injectable()
export class DecisionNotifications {
  constructor(private readonly notifications: NotificationsService) {}

  /** In the inbox transaction. A case intake does not know (another intake's) is skipped. */
  handle(d: CaseDecidedData, manager: EntityManager, now = new Date()): Promise<boolean> {
    const verdict = d.decision === 'approved' ? '准予' : '不予';
    return this.notifications.enqueueForCase(
      manager,
      d.caseNumber,
      {
        dedupeKey: `decision:${d.caseNumber}`,
        reason: 'decision',
        text: (app) => ({
          subject: `审批结果通知：${app.matterName}`,
          body: `${app.applicantName}：您申办的${app.matterName}（申办编号${d.caseNumber}）已于${chineseDateOf(d.decidedAt)}作出${verdict}行政许可的决定，决定书文号${d.documentNumber}。请登录网上办事大厅查看或下载决定书。`,
        }),
      },
      now,
    );
  }
}

/** `gov.approval.case.decided` from approval.case.v1, served by the inbox transport (INTAKE_CONSUMERS). */
@Controller()
export class DecisionEventsConsumer {
  constructor(private readonly decisions: DecisionNotifications) {}

  @OnEvent('gov.approval.case.decided', { group: DECISION_NOTIFY_CONSUMER })
  async decided(event: EventOf<'gov.approval.case.decided'>, ctx: InboxContext): Promise<void> {
    await this.decisions.handle(event.data, ctx.manager);
  }
}
