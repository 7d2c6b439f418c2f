import { Authenticated, CurrentPrincipal, type Principal, Role } from '@gov/auth';
import { ApiErrors, KitErrors, ParseUuidParam, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApprovalErrors } from '../errors';
import { DeployFlowDto, FlowSubmissionView, MigrateFlowDto, ReviewFlowDto, SubmitFlowDto } from './dtos/flow-submission.dto';
import { FlowPipelineRepository, type LoggedStep } from './flow-pipeline.repository';
import { FlowPipelineService, type MigrationReport } from './flow-pipeline.service';

/** The pipeline ledger's integrity check (supervision and system administrators). */
@ApiTags('flow-pipeline')
@Controller('flow-pipeline')
export class FlowPipelineLedgerController {
  constructor(private readonly repo: FlowPipelineRepository) {}

  @Get('verify')
  @Authenticated(Role.Supervisor, Role.Sysadmin)
  @ApiOperation({ summary: 'Verify the hash chains of every recorded pipeline step (detects edits made around the triggers)' })
  async verify(): Promise<{ intact: boolean }> {
    return { intact: await this.repo.verify() };
  }
}

/** The analysts' deploy pipeline: the only way a flow reaches the engine (issue 9 §4, seed 004 art. 14). */
@ApiTags('flow-pipeline')
@Controller('flow-submissions')
export class FlowPipelineController {
  constructor(private readonly pipeline: FlowPipelineService) {}

  @Post()
  @Authenticated(Role.ProcessAnalyst)
  @ApiOperation({ summary: 'Upload a BPMN flow for a tenant: parse and round trip, bpmnlint, project rules and soundness; 400 with the report on failure' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: FlowSubmissionView })
  @ApiErrors(ApprovalErrors, 'FlowChecksFailed', 'FlowTenantForbidden')
  @ApiErrors(KitErrors, 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused', 'ValidationFailed', 'BodyTooLarge')
  async submit(
    @Body() body: SubmitFlowDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<FlowSubmissionView> {
    const idempotencyKey = requireIdempotencyKey(key);
    const { result, replayed } = await this.pipeline.submit(body, idempotencyKey, p);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Get(':id')
  @Authenticated(Role.ProcessAnalyst, Role.Leader, Role.Supervisor, Role.Sysadmin)
  @ApiOperation({ summary: 'A submission with its check report and every recorded pipeline step' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiErrors(ApprovalErrors, 'FlowSubmissionNotFound', 'FlowTenantForbidden')
  @ApiErrors(KitErrors, 'InvalidParameter')
  get(@Param('id', ParseUuidParam) id: string, @CurrentPrincipal() p: Principal): Promise<FlowSubmissionView & { history: LoggedStep[] }> {
    return this.pipeline.get(id, p);
  }

  @Post(':id/review')
  @HttpCode(200)
  @Authenticated(Role.Leader)
  @ApiOperation({ summary: 'The department head approves (the flow is then filed) or refuses a checked submission' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOkResponse({ type: FlowSubmissionView })
  @ApiErrors(ApprovalErrors, 'FlowSubmissionNotFound', 'FlowTenantForbidden', 'FlowSelfApproval', 'FlowAlreadyReviewed')
  @ApiErrors(KitErrors, 'InvalidParameter', 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused', 'ValidationFailed')
  async review(
    @Param('id', ParseUuidParam) id: string,
    @Body() body: ReviewFlowDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<FlowSubmissionView> {
    const { result, replayed } = await this.pipeline.review(id, body, requireIdempotencyKey(key), p);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Post(':id/deployment')
  @HttpCode(200)
  @Authenticated(Role.ProcessAnalyst, Role.Leader)
  @ApiOperation({ summary: 'Deploy an approved and filed submission to the engine as a new version for its tenant (idempotent)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOkResponse({ type: FlowSubmissionView })
  @ApiErrors(ApprovalErrors, 'FlowSubmissionNotFound', 'FlowTenantForbidden', 'FlowNotApproved', 'EngineRefused', 'EngineFailed', 'EngineUnavailable')
  @ApiErrors(KitErrors, 'InvalidParameter', 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'ValidationFailed')
  deploy(
    @Param('id', ParseUuidParam) id: string,
    @Body() body: DeployFlowDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentPrincipal() p: Principal,
  ): Promise<FlowSubmissionView> {
    requireIdempotencyKey(key);
    return this.pipeline.deploy(id, body, p);
  }

  @Post(':id/migrations')
  @HttpCode(200)
  @Authenticated(Role.ProcessAnalyst)
  @ApiOperation({ summary: 'Migrate running instances of an earlier version to this one through the engine migration API; dry run first' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiErrors(ApprovalErrors, 'FlowSubmissionNotFound', 'FlowTenantForbidden', 'FlowNotApproved', 'FlowVersionNotFound', 'MigrationDryRunFirst', 'MigrationNotValid', 'EngineRefused', 'EngineFailed', 'EngineUnavailable')
  @ApiErrors(KitErrors, 'InvalidParameter', 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'ValidationFailed')
  migrate(
    @Param('id', ParseUuidParam) id: string,
    @Body() body: MigrateFlowDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentPrincipal() p: Principal,
  ): Promise<MigrationReport> {
    requireIdempotencyKey(key);
    return this.pipeline.migrate(id, body, p);
  }
}
