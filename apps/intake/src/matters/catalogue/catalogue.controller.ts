import { Authenticated, CurrentPrincipal, type Principal, Role } from '@gov/auth';
import { ApiErrors, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IntakeErrors } from '../../errors';
import { MATTER_CODE_RULE, MatterCodePipe } from '../matter-code';
import { ChangeProcedure, DRAFTING_ROLES } from './change-procedure';
import { DraftVersionDto, MatterChangesDto, RejectVersionDto, ReviseVersionDto, StepCommentDto, VersionPipe, VersionResultDto, VersionViewDto } from './dtos/catalogue.dto';
import { MatterVersionsRepository } from './matter-versions.repository';

const EDGE = ['ValidationFailed', 'MalformedBody', 'NestingTooDeep', 'InvalidText', 'BodyTooLarge', 'UnsupportedEncoding', 'UnsupportedMediaType', 'MissingToken', 'InvalidToken', 'InsufficientRole', 'OutsideOrganisation'] as const;
const STEP = [...EDGE, 'InvalidMatterCode', 'InvalidVersion', 'MatterVersionNotFound', 'VersionStateConflict'] as const;

/**
 * The catalogue's change procedure (seed 004 art. 14, 16), for officers: draft → submit → approve (department head) →
 * file (service-management office) → publish. Every step is audited in the matter's ledger chain.
 */
@ApiTags('catalogue')
@Controller('catalogue')
export class CatalogueController {
  constructor(
    private readonly procedure: ChangeProcedure,
    private readonly versions: MatterVersionsRepository,
  ) {}

  @Authenticated(...DRAFTING_ROLES)
  @Post('versions')
  @HttpCode(201)
  @ApiOperation({ summary: "Draft a new version of a matter (a new matter when the code is new), by an officer of the matter's department" })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per draft; a retry with the same key returns the same version' })
  @ApiCreatedResponse({ type: VersionResultDto })
  @ApiErrors(IntakeErrors, ...EDGE, 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused', 'InvalidMatterElements', 'InvalidUnifiedCode', 'OpenVersionExists')
  async draft(
    @Body() body: DraftVersionDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<VersionResultDto> {
    const { result, replayed } = await this.procedure.draft(body, requireIdempotencyKey(idempotencyKey), principal);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Authenticated(...DRAFTING_ROLES)
  @Put('matters/:code/versions/:version')
  @ApiOperation({ summary: "Revise a draft's elements" })
  @ApiParam({ name: 'code', description: MATTER_CODE_RULE })
  @ApiOkResponse({ type: VersionResultDto })
  @ApiErrors(IntakeErrors, ...STEP, 'InvalidMatterElements')
  revise(@Param('code', new MatterCodePipe()) code: string, @Param('version', new VersionPipe()) version: number, @Body() body: ReviseVersionDto, @CurrentPrincipal() principal: Principal): Promise<VersionResultDto> {
    return this.procedure.revise(code, version, body.elements, body.note, principal);
  }

  @Authenticated(...DRAFTING_ROLES)
  @Post('matters/:code/versions/:version/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit a draft to the department head' })
  @ApiOkResponse({ type: VersionResultDto })
  @ApiErrors(IntakeErrors, ...STEP)
  submit(@Param('code', new MatterCodePipe()) code: string, @Param('version', new VersionPipe()) version: number, @CurrentPrincipal() principal: Principal): Promise<VersionResultDto> {
    return this.procedure.submit(code, version, principal);
  }

  @Authenticated(Role.Leader)
  @Post('matters/:code/versions/:version/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'The department head (主管领导) approves a submitted version (seed 004 art. 14)' })
  @ApiOkResponse({ type: VersionResultDto })
  @ApiErrors(IntakeErrors, ...STEP, 'DutiesNotSeparated')
  approve(
    @Param('code', new MatterCodePipe()) code: string,
    @Param('version', new VersionPipe()) version: number,
    @Body() body: StepCommentDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<VersionResultDto> {
    return this.procedure.approve(code, version, body.comment, principal);
  }

  @Authenticated()
  @Post('matters/:code/versions/:version/file')
  @HttpCode(200)
  @ApiOperation({ summary: 'The service-management office files (备案) an approved version (role: CATALOGUE_FILING_ROLE)' })
  @ApiOkResponse({ type: VersionResultDto })
  @ApiErrors(IntakeErrors, ...STEP, 'HeadApprovalRequired', 'DutiesNotSeparated')
  file(
    @Param('code', new MatterCodePipe()) code: string,
    @Param('version', new VersionPipe()) version: number,
    @Body() body: StepCommentDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<VersionResultDto> {
    return this.procedure.file(code, version, body.comment, principal);
  }

  @Authenticated()
  @Post('matters/:code/versions/:version/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a version back with the reason: the head a submitted one, the office an approved one' })
  @ApiOkResponse({ type: VersionResultDto })
  @ApiErrors(IntakeErrors, ...STEP)
  reject(
    @Param('code', new MatterCodePipe()) code: string,
    @Param('version', new VersionPipe()) version: number,
    @Body() body: RejectVersionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<VersionResultDto> {
    return this.procedure.reject(code, version, body.reason, principal);
  }

  @Authenticated(...DRAFTING_ROLES)
  @Post('matters/:code/versions/:version/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a filed version: it comes into force and the previous one is retired (running cases keep theirs)' })
  @ApiOkResponse({ type: VersionResultDto })
  @ApiErrors(IntakeErrors, ...STEP, 'HeadApprovalRequired', 'FilingRequired')
  publish(@Param('code', new MatterCodePipe()) code: string, @Param('version', new VersionPipe()) version: number, @CurrentPrincipal() principal: Principal): Promise<VersionResultDto> {
    return this.procedure.publish(code, version, principal);
  }

  @Authenticated()
  @Get('matters/:code/versions')
  @ApiOperation({ summary: 'Every version of a matter, newest first, with who drafted, approved, filed and published it (officers)' })
  @ApiOkResponse({ type: VersionViewDto, isArray: true })
  @ApiErrors(IntakeErrors, 'InvalidMatterCode', 'InvalidText', 'MissingToken', 'InvalidToken', 'InsufficientRole', 'MatterNotFound')
  async history(@Param('code', new MatterCodePipe()) code: string, @CurrentPrincipal() principal: Principal): Promise<VersionViewDto[]> {
    this.officerOnly(principal);
    const rows = await this.versions.history(code);
    if (rows.length === 0) throw IntakeErrors.error('MatterNotFound', `Matter ${code} is not in the catalogue.`, { field: 'param.code' });
    return rows.map((r) => VersionViewDto.of(r));
  }

  @Authenticated()
  @Get('matters/:code/versions/:version')
  @ApiOperation({ summary: 'One version of a matter, whatever its state (officers)' })
  @ApiOkResponse({ type: VersionViewDto })
  @ApiErrors(IntakeErrors, 'InvalidMatterCode', 'InvalidVersion', 'InvalidText', 'MissingToken', 'InvalidToken', 'InsufficientRole', 'MatterVersionNotFound')
  async one(@Param('code', new MatterCodePipe()) code: string, @Param('version', new VersionPipe()) version: number, @CurrentPrincipal() principal: Principal): Promise<VersionViewDto> {
    this.officerOnly(principal);
    const row = await this.versions.find(code, version);
    if (!row) throw IntakeErrors.error('MatterVersionNotFound', `Matter ${code} has no version ${version}.`, { field: 'param.version' });
    return VersionViewDto.of(row);
  }

  @Authenticated()
  @Get('matters/:code/changes')
  @ApiOperation({ summary: "The matter's audit trail of the change procedure (ledger chain), and whether the chain verifies (officers)" })
  @ApiOkResponse({ type: MatterChangesDto })
  @ApiErrors(IntakeErrors, 'InvalidMatterCode', 'InvalidText', 'MissingToken', 'InvalidToken', 'InsufficientRole')
  async changes(@Param('code', new MatterCodePipe()) code: string, @CurrentPrincipal() principal: Principal): Promise<MatterChangesDto> {
    this.officerOnly(principal);
    const { items, chainIntact } = await this.versions.changes(code);
    return {
      chainIntact,
      items: items.map((c) => ({ seq: c.chainSeq, at: c.at.toISOString(), version: c.version, action: c.action, actor: c.actor, actorLabel: c.actorLabel, details: c.details, hash: c.hash })),
    };
  }

  private officerOnly(principal: Principal): void {
    if (principal.type !== 'officer' && principal.type !== 'service') throw IntakeErrors.error('InsufficientRole', 'The catalogue\'s versions and changes are for officers; the public reads the guide (GET /guide/matters).');
  }
}
