import { Authenticated, CurrentPrincipal, type Principal, Role } from '@gov/auth';
import { ApiErrors, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Headers, HttpCode, Param, Post, Res, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type ApplicationRef, ApplicationRefPipe } from '../applications/application-ref';
import { FormBoundsInterceptor } from '../applications/dtos/form-bounds.interceptor';
import { IntakeErrors } from '../errors';
import { AcceptanceService } from './acceptance.service';
import { AcceptDto, AcceptWithMissingDto, CorrectDto, DeferredDeliveredDto, RefuseDto, RequestCorrectionDto, TransitionResultDto, WithdrawalRequestDto } from './dtos';

const COMMON = [
  'ValidationFailed',
  'MalformedBody',
  'NestingTooDeep',
  'InvalidText',
  'BodyTooLarge',
  'UnsupportedEncoding',
  'UnsupportedMediaType',
  'IdempotencyKeyMissing',
  'IdempotencyKeyInvalid',
  'IdempotencyKeyReused',
  'InvalidApplicationRef',
  'MissingToken',
  'InvalidToken',
  'InsufficientRole',
  'OutsideOrganisation',
  'NotOwnApplication',
  'ApplicationNotFound',
  'ApplicationStateConflict',
] as const;

const KEY_HEADER = { name: 'Idempotency-Key', required: true, description: 'Unique per step; a retry with the same key returns the same answer (Idempotent-Replayed: true)' };
const REF = { name: 'id', description: 'Application id (UUID) or case number' };

/**
 * One acceptance step's route: POST /applications/:id/<path> for `roles`, answering 200 with the notice's data, keyed
 * by its Idempotency-Key, refusing with the common errors and `errors`.
 */
function Transition(path: string, roles: Role[], summary: string, errors: Array<keyof typeof IntakeErrors.table> = []) {
  return applyDecorators(
    Authenticated(...roles),
    Post(path),
    HttpCode(200),
    ApiOperation({ summary }),
    ApiParam(REF),
    ApiHeader(KEY_HEADER),
    ApiOkResponse({ type: TransitionResultDto }),
    ApiErrors(IntakeErrors, ...COMMON, ...errors),
  );
}

/**
 * The window's acceptance decisions (seed 001 text 3 art. 10-11, text 10) and the applicant's correction and
 * withdrawal. Each answers with the data of the notice it gives.
 */
@ApiTags('acceptance')
@Controller('applications')
export class AcceptanceController {
  constructor(private readonly acceptance: AcceptanceService) {}

  private async run(res: Response, p: Promise<{ result: TransitionResultDto; replayed: boolean }>): Promise<TransitionResultDto> {
    const { result, replayed } = await p;
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Transition(':id/accept', [Role.WindowClerk], 'Accept (受理): the 受理通知书 data with the materials, acceptance date, promised completion date and receiving officer; the case starts and the materials are frozen', ['MaterialsFrozen'])
  accept(@Param('id', new ApplicationRefPipe()) ref: ApplicationRef, @Body() body: AcceptDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() principal: Principal) {
    return this.run(res, this.acceptance.accept(ref, body, requireIdempotencyKey(key), principal));
  }

  @Transition(':id/refuse', [Role.WindowClerk], 'Refuse (不予受理): the notice data with the reason and the applicant\'s remedies', ['MaterialsFrozen'])
  refuse(@Param('id', new ApplicationRefPipe()) ref: ApplicationRef, @Body() body: RefuseDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() principal: Principal) {
    return this.run(res, this.acceptance.refuse(ref, body, requireIdempotencyKey(key), principal));
  }

  @Transition(':id/correction-request', [Role.WindowClerk], 'One-time correction notice (一次性告知补正): every missing or defective item at once, with the bureau\'s deadline', ['MaterialsFrozen'])
  requestCorrection(@Param('id', new ApplicationRefPipe()) ref: ApplicationRef, @Body() body: RequestCorrectionDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() principal: Principal) {
    return this.run(res, this.acceptance.requestCorrection(ref, body, requireIdempotencyKey(key), principal));
  }

  @Transition(':id/correction', [Role.Applicant, Role.WindowClerk], 'Correct (补正) within the deadline: acceptance is decided anew; refused once accepted (materials frozen)', ['MaterialsFrozen', 'CorrectionDeadlinePassed'])
  @UseInterceptors(FormBoundsInterceptor)
  correct(@Param('id', new ApplicationRefPipe()) ref: ApplicationRef, @Body() body: CorrectDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() principal: Principal) {
    return this.run(res, this.acceptance.correct(ref, body, requireIdempotencyKey(key), principal));
  }

  @Transition(':id/accept-with-missing', [Role.WindowClerk], 'Accept with materials missing (容缺受理) on the applicant\'s signed commitment: only deferrable materials, deadline no later than the promised limit', ['MaterialsFrozen', 'NotDeferrable', 'DeferredDeadlineInvalid'])
  acceptWithMissing(@Param('id', new ApplicationRefPipe()) ref: ApplicationRef, @Body() body: AcceptWithMissingDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() principal: Principal) {
    return this.run(res, this.acceptance.acceptWithMissing(ref, body, requireIdempotencyKey(key), principal));
  }

  @Transition(':id/deferred-materials', [Role.WindowClerk], 'The window confirms deferred (容缺) materials delivered, each slot holding a received file (409 DeferredMaterialNotReceived otherwise); an upload alone meets nothing; when none is left the commitment is met', ['DeferredMaterialNotReceived'])
  deferredDelivered(@Param('id', new ApplicationRefPipe()) ref: ApplicationRef, @Body() body: DeferredDeliveredDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() principal: Principal) {
    return this.run(res, this.acceptance.deferredDelivered(ref, body, requireIdempotencyKey(key), principal));
  }

  @Transition(':id/withdrawal', [Role.Applicant, Role.WindowClerk], 'Ask to withdraw (申请撤回, art. 11); the window accepts it')
  requestWithdrawal(@Param('id', new ApplicationRefPipe()) ref: ApplicationRef, @Body() body: WithdrawalRequestDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() principal: Principal) {
    return this.run(res, this.acceptance.requestWithdrawal(ref, body, requireIdempotencyKey(key), principal));
  }

  @Transition(':id/withdrawal/accept', [Role.WindowClerk], 'Accept the withdrawal: the application ends wherever it is; a running case ends with a 准予撤回 decision', ['WithdrawalNotRequested'])
  acceptWithdrawal(@Param('id', new ApplicationRefPipe()) ref: ApplicationRef, @Body() body: AcceptDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() principal: Principal) {
    return this.run(res, this.acceptance.acceptWithdrawal(ref, body, requireIdempotencyKey(key), principal));
  }
}
