import { createHash, randomUUID } from 'node:crypto';
import { OrgScope, type Principal } from '@gov/auth';
import { makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { KitErrors, LOGGER, Periodic, PeriodicService, RequestContext } from '@gov/service-kit';
import { CamundaClient, CamundaError } from '@gov/workflow';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, QueryFailedError } from 'typeorm';
import { CasesRepository } from '../cases/cases.repository';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import { ApprovalErrors } from '../errors';
import type { CorrelationState, FeePayment } from './fee.entities';
import { FeesRepository } from './fees.repository';
import { PaymentGateway, type WindowConfirmation } from './payment-gateway';

/** The message the flows' AwaitPayment receive task waits for. */
export const FEE_PAID_MESSAGE = 'fee-paid';

export interface PaymentConfirmed {
  paymentId: string;
  caseNumber: string;
  amountFen: number;
  channel: string;
  reference: string;
  paidAt: string;
  /** pending: recorded, the flow takes it shortly (the reconciler retries); correlated: the flow went on to the decision. */
  correlation: CorrelationState;
}

function answerOf(p: FeePayment): PaymentConfirmed {
  return { paymentId: p.id, caseNumber: p.caseNumber, amountFen: p.amountFen, channel: p.channel, reference: p.reference, paidAt: p.paidAt.toISOString(), correlation: p.correlation };
}

/**
 * Payment confirmation (seed 001 text 3 art. 19 (二), 20), without a transaction across the engine call: (a) check the
 * case's payment request (due, before its deadline, the amount asked), let the gateway verify, and record the payment,
 * the request paid and `gov.approval.fee.paid` in one transaction; (b) after the commit, correlate `fee-paid` to the
 * case's instance. A correlation lost in between (a crash, the engine down, the instance not yet waiting) is retried by
 * the reconciler (at start and every RECONCILE_INTERVAL_MS); one the deadline's timer beat is marked `too-late` (the
 * case was refused: a refund is due, logged as an error). Idempotent by Idempotency-Key: the same key and body replay
 * the answer, another key on a paid case is 409 FeeAlreadyPaid.
 */
@Injectable()
export class PaymentsService extends PeriodicService {
  protected readonly periodic: Periodic;

  constructor(
    @Inject(APPROVAL_CONFIG) private readonly config: ApprovalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly ds: DataSource,
    private readonly cases: CasesRepository,
    private readonly fees: FeesRepository,
    private readonly engine: CamundaClient,
    private readonly gateway: PaymentGateway,
  ) {
    super();
    this.periodic = new Periodic(config.RECONCILE_INTERVAL_MS, () => this.reconcileOnce(), (e) => logger.error({ err: e }, 'handing payments to the flow failed; will retry'), { atStart: true });
  }


  async confirmAtWindow(caseNumber: string, body: { amountFen: number; receiptNumber: string }, idempotencyKey: string, principal: Principal): Promise<{ result: PaymentConfirmed; replayed: boolean }> {
    const c = await this.cases.find(caseNumber);
    if (!c) throw ApprovalErrors.error('CaseNotFound', `No case ${caseNumber}.`);
    RequestContext.setCase(caseNumber);
    OrgScope.assertCanActOn(principal, { orgCode: c.departmentCode });
    const hash = createHash('sha256').update(JSON.stringify({ amountFen: body.amountFen, receiptNumber: body.receiptNumber })).digest('hex');
    const earlier = await this.fees.payment(caseNumber);
    if (earlier) return { result: await this.replay(earlier, idempotencyKey, hash), replayed: true };
    const request = await this.fees.request(caseNumber);
    if (!request) throw ApprovalErrors.error('NoPaymentDue', `No payment is due on case ${caseNumber}: no payment notice was issued (no fee, or not approved yet).`);
    this.checkPayable(request, body.amountFen);
    // A case withdrawn or terminated while its notice ran takes no payment (one refused for the fee is past its deadline).
    if (c.status !== 'in-review') throw ApprovalErrors.error('NoPaymentDue', `No payment is due on case ${caseNumber}: it is ${c.status}.`);
    const verified = await this.gateway.verify({ amountFen: body.amountFen, receiptNumber: body.receiptNumber, principal } satisfies WindowConfirmation);
    let payment: FeePayment;
    try {
      payment = await this.ds.transaction(async (manager) => {
        const locked = await this.fees.lockRequest(manager, caseNumber);
        if (!locked) throw new Error(`payment request of ${caseNumber} vanished`);
        this.checkPayable(locked, verified.amountFen);
        const p: FeePayment = {
          id: randomUUID(),
          caseNumber,
          amountFen: verified.amountFen,
          channel: verified.channel,
          reference: verified.reference,
          confirmedBy: verified.confirmedBy,
          paidAt: verified.paidAt,
          idempotencyKey,
          requestHash: hash,
          correlation: 'pending',
          correlationAttempts: 0,
          correlatedAt: null,
          correlationError: null,
        };
        await this.fees.insertPayment(manager, p);
        await this.fees.markRequestPaid(manager, caseNumber);
        await enqueueEvent(
          manager,
          makeEvent({
            type: 'gov.approval.fee.paid',
            source: '/approval',
            subject: caseNumber,
            tenantId: c.tenantId,
            data: { caseNumber, paymentId: p.id, amountFen: p.amountFen, channel: p.channel, reference: p.reference, confirmedBy: p.confirmedBy, paidAt: p.paidAt.toISOString() },
          }),
        );
        return p;
      });
    } catch (e) {
      // A concurrent confirmation won the case's one payment row: follow it (same key and body) or refuse.
      if (e instanceof QueryFailedError && /fee_payments_case_number_key/.test(e.message)) {
        const winner = await this.fees.payment(caseNumber);
        if (winner) return { result: await this.replay(winner, idempotencyKey, hash), replayed: true };
      }
      throw e;
    }
    // After the commit: hand it to the flow (the reconciler retries what this cannot do now).
    return { result: answerOf({ ...payment, correlation: await this.correlate(payment) }), replayed: false };
  }

  private checkPayable(request: { status: string; deadline: Date; totalFen: number; caseNumber: string }, amountFen: number): void {
    if (request.status === 'paid') throw ApprovalErrors.error('FeeAlreadyPaid', `The fee of case ${request.caseNumber} is paid already.`);
    if (Date.now() > request.deadline.getTime()) {
      throw ApprovalErrors.error('PaymentDeadlinePassed', `The payment deadline of case ${request.caseNumber} passed at ${request.deadline.toISOString()}; the application is refused for the unpaid fee (no payment is taken).`, {
        deadline: request.deadline.toISOString(),
      });
    }
    if (amountFen !== request.totalFen) {
      throw ApprovalErrors.error('PaymentAmountMismatch', `The payment notice of case ${request.caseNumber} asks for ${request.totalFen} fen, not ${amountFen}.`, { field: 'amountFen', expectedFen: request.totalFen });
    }
  }

  private async replay(p: FeePayment, idempotencyKey: string, hash: string): Promise<PaymentConfirmed> {
    if (p.idempotencyKey !== idempotencyKey) throw ApprovalErrors.error('FeeAlreadyPaid', `The fee of case ${p.caseNumber} was paid at ${p.paidAt.toISOString()} (receipt ${p.reference}).`);
    if (p.requestHash !== hash) throw KitErrors.error('IdempotencyKeyReused', 'This Idempotency-Key was already used for a different request; use a new key for a new request.');
    const correlation = p.correlation === 'pending' ? await this.correlate(p) : p.correlation;
    return answerOf({ ...p, correlation });
  }

  /**
   * Correlates `fee-paid` to the case's instance (no transaction open). Answers the state reached: `correlated` (now or
   * earlier: the instance carries this payment's id), `too-late` (the deadline's timer refused the case first), or
   * `pending` (the engine is down, or the instance is not waiting yet: retried).
   */
  async correlate(p: FeePayment): Promise<CorrelationState> {
    const c = await this.cases.find(p.caseNumber);
    if (!c?.processInstanceId) return 'pending';
    let state: CorrelationState = 'pending';
    let error: string | null = null;
    try {
      await this.engine.correlateMessage({ messageName: FEE_PAID_MESSAGE, businessKey: p.caseNumber, processVariables: { feePaymentId: p.id, feePaidAt: p.paidAt.toISOString(), feePaidFen: p.amountFen } });
      state = 'correlated';
    } catch (e) {
      if (!(e instanceof CamundaError)) throw e;
      error = e.reason;
      if (!e.isUnavailable) {
        // Nothing waits for the message: taken earlier (a retry after a lost answer), beaten by the timer, or not there yet.
        const paidId = await this.engine.historicVariable(c.processInstanceId, 'feePaymentId').catch(() => undefined);
        const refusal = await this.engine.historicVariable(c.processInstanceId, 'refusalReason').catch(() => undefined);
        if (paidId === p.id) state = 'correlated';
        // Refused by the deadline's timer, or the case ended (withdrawn, terminated) meanwhile: it will never wait again.
        else if (refusal === 'fee-unpaid' || c.status !== 'in-review') state = 'too-late';
      }
    }
    if (state === 'too-late') this.logger.error({ caseId: p.caseNumber, paymentId: p.id, amountFen: p.amountFen }, 'a payment was confirmed but the deadline refused the case first: a refund is due');
    if (state !== 'pending' || error) await this.fees.markCorrelation(p.id, state, state === 'correlated' ? null : error);
    return state;
  }

  /** One pass of the reconciler: every payment not yet taken by the flow, older than PAYMENT_CORRELATE_AFTER_MS. */
  async reconcileOnce(): Promise<number> {
    let done = 0;
    for (const p of await this.fees.uncorrelated(this.config.PAYMENT_CORRELATE_AFTER_MS)) {
      if (this.periodic.stopping) break;
      const state = await this.correlate(p).catch((e: unknown) => {
        this.logger.warn({ caseId: p.caseNumber, err: e }, 'a payment could not be handed to the flow yet; retried');
        return 'pending' as const;
      });
      if (state !== 'pending') done += 1;
    }
    return done;
  }
}
