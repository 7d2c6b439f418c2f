import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import { ApiErrors, KitErrors, ParseCaseNumberParam, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CasesRepository } from '../cases/cases.repository';
import { ApprovalErrors } from '../errors';
import { OFFICERS } from '../worklist/officers';
import { CaseFeesDto, ConfirmPaymentDto, PaymentConfirmedDto } from './dtos/payment.dto';
import { FeesRepository } from './fees.repository';
import { type PaymentConfirmed, PaymentsService } from './payments.service';

@ApiTags('fees')
@Controller('cases')
export class FeesController {
  constructor(
    private readonly cases: CasesRepository,
    private readonly fees: FeesRepository,
    private readonly payments: PaymentsService,
  ) {}

  @Post(':caseNumber/payments')
  @Authenticated(Role.WindowClerk)
  @HttpCode(200)
  @ApiOperation({
    summary:
      "The window confirms the applicant paid the case's fee (缴费确认, seed 001 text 3 art. 19 (二)): the amount of the payment notice, before its deadline, once; the flow then goes on to the decision. A retry with the same Idempotency-Key replays the answer",
  })
  @ApiParam({ name: 'caseNumber', example: '449900-20261122-000001' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOkResponse({ type: PaymentConfirmedDto })
  @ApiErrors(ApprovalErrors, 'CaseNotFound', 'NoPaymentDue', 'PaymentDeadlinePassed', 'FeeAlreadyPaid', 'PaymentAmountMismatch')
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText', 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused', 'ValidationFailed')
  async confirmPayment(
    @Param('caseNumber', ParseCaseNumberParam) caseNumber: string,
    @Body() body: ConfirmPaymentDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PaymentConfirmed> {
    const { result, replayed } = await this.payments.confirmAtWindow(caseNumber, body, requireIdempotencyKey(key), principal);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Get(':caseNumber/fees')
  @Authenticated(...OFFICERS, Role.Supervisor)
  @ApiOperation({ summary: "A case's fees: the catalogue's (with the codes to determine them by), the handler's determination, the payment request and the payment (officers of the handling organisation, supervisors)" })
  @ApiParam({ name: 'caseNumber', example: '449900-20261122-000001' })
  @ApiOkResponse({ type: CaseFeesDto })
  @ApiErrors(ApprovalErrors, 'CaseNotFound')
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText')
  async caseFees(@Param('caseNumber', ParseCaseNumberParam) caseNumber: string, @CurrentPrincipal() principal: Principal): Promise<CaseFeesDto> {
    const c = await this.cases.find(caseNumber);
    if (!c) throw ApprovalErrors.error('CaseNotFound', `No case ${caseNumber}.`);
    OrgScope.assertCanActOn(principal, { orgCode: c.departmentCode });
    const [d, r, p] = await Promise.all([this.fees.determination(caseNumber), this.fees.request(caseNumber), this.fees.payment(caseNumber)]);
    return {
      caseNumber,
      catalogue: c.catalogueFees ?? [],
      determination: d ? { items: d.items, totalFen: d.totalFen, paymentDays: d.paymentDays, determinedBy: d.determinedBy, determinedAt: d.determinedAt.toISOString() } : null,
      request: r ? { items: r.items, totalFen: r.totalFen, period: r.period, deadline: r.deadline.toISOString(), requestedAt: r.requestedAt.toISOString(), status: r.status } : null,
      payment: p ? { paymentId: p.id, caseNumber, amountFen: p.amountFen, channel: p.channel, reference: p.reference, paidAt: p.paidAt.toISOString(), correlation: p.correlation } : null,
    };
  }
}
