import type { PaymentRequestedData } from '@gov/contracts';
import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Application } from '../applications/application.entity';
import { MatterCatalogue } from '../matters/catalogue/matter-catalogue';
import { NoticeIssuer } from '../notices/notice-issuer.service';

/** The inbox consumer group of approval's payment requests (also the inbox's consumer name: keep it stable). */
export const PAYMENT_NOTICE_CONSUMER = 'intake.payment-notice';

/**
 * Issues the 缴费通知书 (seed 001 text 3 art. 19 (二): "系统自动生成相关缴费通知书 … 通知申请人在规定期限内缴费") when
 * approval asks for payment: the items the handler determined, with their basis and how to pay, the total, the
 * deadline and the consequence of not paying (art. 20). Recorded in the inbox transaction, once per application
 * however often the event arrives; rendered and sealed after the commit (or by the sealer). The sealed notice notifies
 * the applicant (mail drop, and SMS / e-mail where enabled) and shows in the applicant's documents.
 */
@Injectable()
export class PaymentNotices {
  constructor(
    private readonly issuer: NoticeIssuer,
    private readonly catalogue: MatterCatalogue,
  ) {}

  /** Records the notice; null for a case intake does not know (another intake's). */
  async handle(d: PaymentRequestedData, manager: EntityManager): Promise<string | null> {
    const app = await manager.getRepository(Application).findOneBy({ caseNumber: d.caseNumber });
    if (!app) return null;
    const version = await this.catalogue.version(app.matterCode, app.matterVersion);
    return this.issuer.record(manager, 'payment-notice', {
      applicationId: app.id,
      caseNumber: app.caseNumber,
      applicant: { kind: app.applicantKind, id: app.applicantId, name: app.applicantName },
      matter: { code: app.matterCode, name: version?.elements.name ?? app.matterCode },
      departmentCode: d.departmentCode,
      items: d.items.map((i) => ({ name: i.name, amountFen: i.amountFen, basis: i.basis, payment: i.payment })),
      totalFen: d.totalFen,
      requestedAt: d.requestedAt,
      deadline: d.deadline,
    });
  }

  /** After the commit: render and seal it (a failure is left to the sealer). */
  async complete(noticeId: string): Promise<void> {
    await this.issuer.complete(noticeId);
  }
}

/** `gov.approval.fee.payment-requested` from approval.case.v1, served by the inbox transport (INTAKE_CONSUMERS). */
@Controller()
export class PaymentRequestsConsumer {
  constructor(private readonly notices: PaymentNotices) {}

  @OnEvent('gov.approval.fee.payment-requested', { group: PAYMENT_NOTICE_CONSUMER })
  async paymentRequested(event: EventOf<'gov.approval.fee.payment-requested'>, ctx: InboxContext): Promise<void> {
    const id = await this.notices.handle(event.data, ctx.manager);
    if (id) ctx.afterCommit(() => this.notices.complete(id));
  }
}
