import { type DeterminedFeeData, DeterminedFee, WORKER_TOPICS, makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { type ExternalTask } from '@gov/workflow';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { CasesRepository } from '../cases/cases.repository';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import { deadlineAfter } from './fee-determination';
import { FeesRepository } from './fees.repository';

const FeeItems = z.array(DeterminedFee).min(1).max(50);

/**
 * Issues the payment request (缴费通知书, seed 001 text 3 art. 19 (二)) when an approved case with a fee reaches the
 * flow's RequestPayment step, before it waits for payment: the items the handler determined (the flow's `feeItems`,
 * taken with the completion), the total, and the deadline `feePaymentPeriod` gives from now. Records it and publishes
 * `gov.approval.fee.payment-requested` (intake renders, seals and sends the notice) in one transaction, and answers
 * `feeDeadline`. The flow's timer counts the same period from the wait that follows, so it never fires before the
 * deadline printed. Idempotent: a task fetched again (an expired lock) answers the request already made.
 */
@Injectable()
export class RequestPaymentWorker {
  readonly topic = WORKER_TOPICS.requestPayment;

  constructor(
    @Inject(APPROVAL_CONFIG) private readonly config: ApprovalConfig,
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly fees: FeesRepository,
  ) {}

  async handle(task: ExternalTask): Promise<{ feeDeadline: string }> {
    const caseNumber = task.businessKey;
    if (!caseNumber) throw new Error(`process ${task.processInstanceId} has no business key`);
    const items = parseItems(task.variables.feeItems);
    const totalFen = items.reduce((sum, i) => sum + i.amountFen, 0);
    const period = typeof task.variables.feePaymentPeriod === 'string' ? task.variables.feePaymentPeriod : this.config.FEE_PAYMENT_PERIOD;
    return this.ds.transaction(async (manager) => {
      const c = await this.cases.find(caseNumber);
      if (!c) throw new Error(`case ${caseNumber} is unknown to approval`);
      const requestedAt = new Date();
      const deadline = deadlineAfter(requestedAt, period);
      const { request, created } = await this.fees.insertRequest(manager, { caseNumber, processInstanceId: task.processInstanceId, items, totalFen, period, deadline, requestedAt });
      if (created) {
        await enqueueEvent(
          manager,
          makeEvent({
            type: 'gov.approval.fee.payment-requested',
            source: '/approval',
            subject: caseNumber,
            tenantId: c.tenantId,
            data: {
              caseNumber,
              processInstanceId: task.processInstanceId,
              matterCode: c.matterCode,
              departmentCode: c.departmentCode,
              items,
              totalFen,
              period,
              deadline: deadline.toISOString(),
              requestedAt: requestedAt.toISOString(),
            },
          }),
        );
      }
      return { feeDeadline: request.deadline.toISOString() };
    });
  }
}

/**
 * The items the handler's completion gave the flow. A flow that reaches payment without them (driven around approval's
 * completion) fails into an incident: a notice is never issued for fees nobody determined against the catalogue.
 */
function parseItems(feeItems: unknown): DeterminedFeeData[] {
  if (typeof feeItems === 'string') return FeeItems.parse(JSON.parse(feeItems));
  throw new Error(`the flow asks for payment without the handler's fee items (feeItems is ${typeof feeItems})`);
}
