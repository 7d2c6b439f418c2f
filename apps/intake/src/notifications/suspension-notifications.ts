import type { StepResumedData, StepSuspendedData } from '@gov/contracts';
import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { chineseDateOf } from '../notices/notice-kinds';
import { NotificationsService } from './notifications.service';

/** The inbox consumer group that tells applicants about clock suspensions (also the inbox's consumer name: keep it stable). */
export const SUSPENSION_NOTIFY_CONSUMER = 'intake.notify-suspension';

/**
 * The special procedures of seed 001 text 3 art. 14 and text 10, as approval names them (task-actions
 * SUSPENSION_REASONS), in the words the applicant reads. An unknown code is printed as approval sent it.
 */
export const SPECIAL_PROCEDURES: Readonly<Record<string, string>> = {
  hearing: '听证',
  'expert-review': '专家评审',
  inspection: '检验',
  testing: '检测',
  quarantine: '检疫',
  appraisal: '鉴定',
  tendering: '招标',
  auction: '拍卖',
};

/**
 * Tells the applicant, in writing, that their case's clock stopped for a special procedure and how long it is expected
 * to take (seed 001 text 3 art. 14: 应当明确所需时间，审批时限暂停计算; text 4: 不计入办理时限，但应将所需时间书面告知申请人),
 * and again when it ends. One notification per suspension and end and channel, however often approval announces them.
 */
@Injectable()
export class SuspensionNotifications {
  constructor(private readonly notifications: NotificationsService) {}

  /** In the inbox transaction. A case intake does not know (another intake's) is skipped. */
  suspended(d: StepSuspendedData, manager: EntityManager, now = new Date()): Promise<boolean> {
    const procedure = SPECIAL_PROCEDURES[d.reason] ?? d.reason;
    const expected = d.statedWorkingDays ? `，预计需要${d.statedWorkingDays}个工作日` : '';
    return this.notifications.enqueueForCase(
      manager,
      d.caseNumber,
      {
        dedupeKey: `suspension:${d.suspensionId}`,
        reason: 'suspension',
        text: (app) => ({
          subject: `特殊程序告知：${app.matterName}`,
          body: `${app.applicantName}：您申办的${app.matterName}（申办编号${d.caseNumber}）需要${procedure}，自${chineseDateOf(d.suspendedAt)}起进入特殊程序，审批时限暂停计算${expected}。特殊程序所需时间不计入办理时限；特殊程序结束时将另行告知。`,
        }),
      },
      now,
    );
  }

  resumed(d: StepResumedData, manager: EntityManager, now = new Date()): Promise<boolean> {
    return this.notifications.enqueueForCase(
      manager,
      d.caseNumber,
      {
        dedupeKey: `resumption:${d.suspensionId}`,
        reason: 'resumption',
        text: (app) => ({
          subject: `特殊程序结束告知：${app.matterName}`,
          body: `${app.applicantName}：您申办的${app.matterName}（申办编号${d.caseNumber}）的特殊程序已于${chineseDateOf(d.resumedAt)}结束，审批时限恢复计算。`,
        }),
      },
      now,
    );
  }
}

/** `gov.approval.step.suspended` / `.resumed` from approval.step.v1, served by the inbox transport (INTAKE_CONSUMERS). */
@Controller()
export class SuspensionEventsConsumer {
  constructor(private readonly suspensions: SuspensionNotifications) {}

  @OnEvent('gov.approval.step.suspended', { group: SUSPENSION_NOTIFY_CONSUMER })
  async suspended(event: EventOf<'gov.approval.step.suspended'>, ctx: InboxContext): Promise<void> {
    await this.suspensions.suspended(event.data, ctx.manager);
  }

  @OnEvent('gov.approval.step.resumed', { group: SUSPENSION_NOTIFY_CONSUMER })
  async resumed(event: EventOf<'gov.approval.step.resumed'>, ctx: InboxContext): Promise<void> {
    await this.suspensions.resumed(event.data, ctx.manager);
  }
}
