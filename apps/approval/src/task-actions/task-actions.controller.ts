import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import type { LedgerVerdict } from '@gov/ledger';
import { ApiErrors, KitErrors, ParseCaseNumberParam, ParseUuidParam, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApprovalErrors } from '../errors';
import { OFFICERS } from '../worklist/officers';
import { CaseActionsDto, MeetingRequestDto, ReturnStepDto, SuspendCaseDto, TaskActionResultDto, TransferStepDto } from './dtos/task-actions.dto';
import { CaseActionsRepository } from './case-actions.repository';
import { type TaskActionResult, TaskActionsService } from './task-actions.service';

const KEY_ERRORS = ['IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused'] as const;
const ENGINE_ERRORS = ['EngineRefused', 'EngineFailed', 'EngineUnavailable'] as const;

function answer(res: Response, out: { result: TaskActionResult; replayed: boolean }): TaskActionResult {
  if (out.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return out.result;
}

@ApiTags('task-actions')
@Controller('tasks')
export class TaskActionsController {
  constructor(private readonly actions: TaskActionsService) {}

  @Post(':taskId/unclaim')
  @Authenticated(...OFFICERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Release a claimed step back to its groups (the holder, or their section chief)' })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOkResponse({ type: TaskActionResultDto })
  @ApiErrors(ApprovalErrors, 'StepNotFound', 'CaseNotFound', 'NotYourStep', 'StepHeldByOther', 'StepNotClaimed', 'StepChanged', 'ActionInProgress', ...ENGINE_ERRORS)
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText', ...KEY_ERRORS)
  async unclaim(
    @Param('taskId', ParseUuidParam) taskId: string,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<TaskActionResult> {
    return answer(res, await this.actions.unclaim(taskId, requireIdempotencyKey(key), p));
  }

  @Post(':taskId/return')
  @Authenticated(...OFFICERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Return the case (回退) from this step to an earlier human step it has passed, with a reason' })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOkResponse({ type: TaskActionResultDto })
  @ApiErrors(ApprovalErrors, 'StepNotFound', 'CaseNotFound', 'NotYourStep', 'StepHeldByOther', 'ReturnStepUnknown', 'ReturnStepNotEarlier', 'StepChanged', 'ActionInProgress', ...ENGINE_ERRORS)
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText', 'ValidationFailed', ...KEY_ERRORS)
  async returnStep(
    @Param('taskId', ParseUuidParam) taskId: string,
    @Body() body: ReturnStepDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<TaskActionResult> {
    return answer(res, await this.actions.returnStep(taskId, body, requireIdempotencyKey(key), p));
  }

  @Post(':taskId/joint-meeting')
  @Authenticated(...OFFICERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the case from this step to the flow’s meeting (办公会 / 联合会审) with a reason, where the flow goes from this step to one' })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOkResponse({ type: TaskActionResultDto })
  @ApiErrors(ApprovalErrors, 'StepNotFound', 'CaseNotFound', 'NotYourStep', 'StepHeldByOther', 'NoMeetingFromHere', 'StepChanged', 'ActionInProgress', ...ENGINE_ERRORS)
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText', 'ValidationFailed', ...KEY_ERRORS)
  async jointMeeting(
    @Param('taskId', ParseUuidParam) taskId: string,
    @Body() body: MeetingRequestDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<TaskActionResult> {
    return answer(res, await this.actions.requestMeeting(taskId, body, requireIdempotencyKey(key), p));
  }

  @Post(':taskId/take-back')
  @Authenticated(...OFFICERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Take back (拿回) your own completion of this step while the next step is unclaimed; :taskId is your completed step' })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOkResponse({ type: TaskActionResultDto })
  @ApiErrors(ApprovalErrors, 'StepNotFound', 'CaseNotFound', 'NotYourStep', 'NotYourCompletion', 'NextStepClaimed', 'NextStepDone', 'StepChanged', 'ActionInProgress', ...ENGINE_ERRORS)
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText', ...KEY_ERRORS)
  async takeBack(
    @Param('taskId', ParseUuidParam) taskId: string,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<TaskActionResult> {
    return answer(res, await this.actions.takeBack(taskId, requireIdempotencyKey(key), p));
  }

  @Post(':taskId/transfer')
  @Authenticated(...OFFICERS)
  @HttpCode(200)
  @ApiOperation({ summary: "Transfer (转办) the step to another officer of its groups, with a reason (the holder, or the section's chief)" })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOkResponse({ type: TaskActionResultDto })
  @ApiErrors(ApprovalErrors, 'StepNotFound', 'CaseNotFound', 'NotYourStep', 'StepHeldByOther', 'StepNotClaimed', 'TransferToHolder', 'TransferTargetNotEligible', 'StepChanged', 'ActionInProgress', 'IdentityUnavailable', ...ENGINE_ERRORS)
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText', 'ValidationFailed', ...KEY_ERRORS)
  async transfer(
    @Param('taskId', ParseUuidParam) taskId: string,
    @Body() body: TransferStepDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<TaskActionResult> {
    return answer(res, await this.actions.transfer(taskId, body, requireIdempotencyKey(key), p));
  }
}

@ApiTags('task-actions')
@Controller('cases')
export class SuspensionsController {
  constructor(private readonly actions: TaskActionsService) {}

  @Get(':caseNumber/actions')
  @Authenticated(...OFFICERS, Role.Supervisor)
  @ApiOperation({ summary: "A case's task actions from the case-actions ledger, oldest first, and its open suspension (officers of the handling organisation, supervisors)" })
  @ApiParam({ name: 'caseNumber', example: '449900-20261201-000000001' })
  @ApiOkResponse({ type: CaseActionsDto })
  @ApiErrors(ApprovalErrors, 'CaseNotFound')
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText')
  async caseActions(@Param('caseNumber', ParseCaseNumberParam) caseNumber: string, @CurrentPrincipal() p: Principal): Promise<CaseActionsDto> {
    return this.actions.history(caseNumber, (target) => OrgScope.assertCanActOn(p, target));
  }

  @Post(':caseNumber/suspensions')
  @Authenticated(...OFFICERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend the case clock for a special procedure (特殊程序): one open suspension at a time' })
  @ApiParam({ name: 'caseNumber', example: '449900-20261201-000000001' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOkResponse({ type: TaskActionResultDto })
  @ApiErrors(ApprovalErrors, 'CaseNotFound', 'NotYourCase', 'SuspensionOpen', 'SuspensionNotPossible', 'ActionInProgress', ...ENGINE_ERRORS)
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText', 'ValidationFailed', ...KEY_ERRORS)
  async suspend(
    @Param('caseNumber', ParseCaseNumberParam) caseNumber: string,
    @Body() body: SuspendCaseDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<TaskActionResult> {
    return answer(res, await this.actions.suspend(caseNumber, body, requireIdempotencyKey(key), p));
  }

  @Post(':caseNumber/suspensions/current/resume')
  @Authenticated(...OFFICERS)
  @HttpCode(200)
  @ApiOperation({ summary: "Resume the case clock: ends the case's open suspension" })
  @ApiParam({ name: 'caseNumber', example: '449900-20261201-000000001' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOkResponse({ type: TaskActionResultDto })
  @ApiErrors(ApprovalErrors, 'CaseNotFound', 'NotYourCase', 'NoOpenSuspension', 'SuspensionNotPossible', 'ActionInProgress', ...ENGINE_ERRORS)
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText', ...KEY_ERRORS)
  async resume(
    @Param('caseNumber', ParseCaseNumberParam) caseNumber: string,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<TaskActionResult> {
    return answer(res, await this.actions.resume(caseNumber, requireIdempotencyKey(key), p));
  }
}

@ApiTags('task-actions')
@Controller('case-actions')
export class CaseActionsLedgerController {
  constructor(private readonly repo: CaseActionsRepository) {}

  /** The ledger library's verdict, as `GET /opinions/verify` (these chains are not anchored at identity yet). */
  @Get('verify')
  @Authenticated(Role.Supervisor, Role.Sysadmin)
  @ApiOperation({ summary: "Verify every case's task-action chain (detects records edited, removed or inserted around the append-only triggers)" })
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  verify(): Promise<LedgerVerdict> {
    return this.repo.verify();
  }
}
