import { Authenticated, CurrentPrincipal, type Principal } from '@gov/auth';
import { ApiErrors, KitErrors, ParseUuidParam, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApprovalErrors } from '../errors';
import { OFFICERS } from '../worklist/officers';
import { CompleteStepUseCase } from './complete-step.use-case';
import { CompleteStepDto, StepCompletedDto } from './dtos/complete-step.dto';
import type { StepCompleted } from './step-completer';

@ApiTags('steps')
@Controller('tasks')
export class StepsController {
  constructor(private readonly complete: CompleteStepUseCase) {}

  @Post(':taskId/complete')
  @Authenticated(...OFFICERS)
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Complete a step with a signed opinion (approve = agree, reject = disagree with reasons); the opinion is signed with the officer's certificate (enrolled at the first completion); a retry with the same Idempotency-Key replays the result",
  })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOkResponse({ type: StepCompletedDto })
  @ApiErrors(ApprovalErrors, 'ReasonsRequired', 'StepNotFound', 'CaseNotFound', 'NotYourStep', 'StepClaimedByOther', 'StepChanged', 'StepBeingCompleted', 'EngineRefused', 'EngineFailed', 'EngineUnavailable', 'SigningCertificateRefused', 'IdentityUnavailable')
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText', 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused', 'ValidationFailed')
  async completeStep(
    @Param('taskId', ParseUuidParam) taskId: string,
    @Body() body: CompleteStepDto,
    @Headers('idempotency-key') key: string | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StepCompleted> {
    const { result, replayed } = await this.complete.execute(taskId, body, requireIdempotencyKey(key), principal, authorization);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }
}
