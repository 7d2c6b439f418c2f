import { Authenticated, CurrentPrincipal, type Principal } from '@gov/auth';
import { AcceptsBody, ApiErrors, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { Request, Response } from 'express';
import { INTAKE_CONFIG, type IntakeConfig } from '../../config';
import { IntakeErrors } from '../../errors';
import { readRaw } from '../raw-body';
import { CatalogueImport, IMPORT_ROLES, type ImportResult } from './catalogue-import';
import { STEP_ACTIONS, type StepAction, ChangeProcedure } from './change-procedure';
import { StepCommentDto, VersionResultDto } from './dtos/catalogue.dto';

export class ExportQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';

  @ApiPropertyOptional({ description: 'Only this catalogue (6-digit division code)' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'tenantId must be a 6-digit division code, e.g. 449900' })
  tenantId?: string;
}

export class ImportStepDto extends StepCommentDto {
  @ApiPropertyOptional({ description: 'For reject: why (1-2000 characters)' })
  @IsOptional()
  @Matches(/^[\s\S]{1,2000}$/, { message: 'reason must be 1-2000 characters' })
  reason?: string;
}

export class ImportResultDto {
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'Id of the drafts this import made (null when every row was unchanged)' }) importId!: string | null;
  @ApiProperty({ description: 'Rows drafted as a new version: line (CSV) or entry (JSON), code, version' }) drafted!: Array<{ line: number; code: string; version: number }>;
  @ApiProperty({ description: 'Rows equal to the version in force, left out' }) unchanged!: Array<{ line: number; code: string }>;
}

/** The whole catalogue as a file: export (JSON, CSV) and import into drafts, and the procedure for a whole import. */
@ApiTags('catalogue')
@Controller('catalogue')
export class CatalogueIoController {
  constructor(
    private readonly io: CatalogueImport,
    private readonly procedure: ChangeProcedure,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  @Authenticated()
  @Get('export')
  @ApiOperation({ summary: 'Export the versions in force of the matters your organisations handle, as JSON or CSV (officers)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiErrors(IntakeErrors, 'ValidationFailed', 'InvalidText', 'MissingToken', 'InvalidToken', 'InsufficientRole')
  async export(@Query() query: ExportQuery, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    if (principal.type !== 'officer' && principal.type !== 'service') throw IntakeErrors.error('InsufficientRole', 'The catalogue export is for officers; the public reads the guide (GET /guide/matters).');
    const format = query.format ?? 'json';
    const text = await this.io.export(format, principal, query.tenantId);
    const bytes = Buffer.from(text, 'utf8');
    const file = `catalogue-${query.tenantId ?? 'all'}.${format}`;
    return new StreamableFile(bytes, { type: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8', disposition: `attachment; filename="${file}"`, length: bytes.length });
  }

  @Authenticated(...IMPORT_ROLES)
  @Post('import')
  @AcceptsBody('text/csv')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Import a catalogue file (JSON or CSV): every row checked, a bad row reported with its line and NOTHING imported; otherwise one draft per changed matter',
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({
    description: 'JSON { format: "gov.intake.catalogue/1", matters: [{ code, tenantId, elements, note? }] } or (as text/csv) CSV with the columns of apps/intake/README.md',
    schema: {
      type: 'object',
      required: ['format', 'matters'],
      properties: {
        format: { type: 'string', enum: ['gov.intake.catalogue/1'] },
        matters: {
          type: 'array',
          items: { type: 'object', required: ['code', 'tenantId', 'elements'], properties: { code: { type: 'string' }, tenantId: { type: 'string' }, elements: { type: 'object' }, note: { type: 'string' } } },
        },
      },
    },
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiErrors(IntakeErrors, 'MalformedBody', 'NestingTooDeep', 'InvalidText', 'BodyTooLarge', 'UnsupportedEncoding', 'UnsupportedMediaType', 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused', 'MissingToken', 'InvalidToken', 'InsufficientRole', 'ImportRejected', 'ImportTooLarge')
  async import(
    @Req() req: Request,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ImportResult> {
    const key = requireIdempotencyKey(idempotencyKey);
    const csv = /^\s*text\/csv\b/i.test(contentType ?? '');
    let body: unknown = req.body as unknown;
    if (csv) {
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw IntakeErrors.error('UnsupportedEncoding', 'Send the CSV as UTF-8 (charset=utf-8).');
      const raw = await readRaw(req, this.config.CATALOGUE_IMPORT_MAX_BYTES, (maxBytes) => IntakeErrors.error('ImportTooLarge', `The catalogue file is larger than ${maxBytes} bytes; split it.`, { maxBytes }));
      const text = new TextDecoder('utf-8', { fatal: false }).decode(raw);
      if (text.includes('\ufffd') || text.includes('\u0000')) throw IntakeErrors.error('InvalidText', 'The CSV is not well-formed UTF-8 text (or contains NUL); save it as UTF-8 CSV.', { field: 'body' });
      body = text;
    }
    const format = csv ? 'csv' : 'json';
    const rows = this.io.parse(format, body);
    const { result, replayed } = await this.io.run(format, rows, key, principal, { format, body });
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Authenticated()
  @Post('imports/:importId/:action')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take one step of the change procedure (submit, approve, file, reject, publish) for every draft of an import, all or none' })
  @ApiOkResponse({ type: VersionResultDto, isArray: true })
  @ApiErrors(IntakeErrors, 'ValidationFailed', 'InvalidText', 'MissingToken', 'InvalidToken', 'InsufficientRole', 'OutsideOrganisation', 'MatterVersionNotFound', 'VersionStateConflict', 'HeadApprovalRequired', 'FilingRequired', 'DutiesNotSeparated')
  importStep(
    @Param('importId', new ParseUUIDPipe({ exceptionFactory: () => IntakeErrors.error('ValidationFailed', 'param.importId must be the importId an import answered with (a UUID).', { field: 'param.importId', fields: [{ field: 'param.importId', rule: 'isUuid', message: 'param.importId must be a UUID' }] }) })) importId: string,
    @Param('action') action: string,
    @Body() body: ImportStepDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<VersionResultDto[]> {
    if (!(STEP_ACTIONS as readonly string[]).includes(action)) {
      throw IntakeErrors.error('ValidationFailed', `param.action must be one of ${STEP_ACTIONS.join(', ')}.`, { field: 'param.action', fields: [{ field: 'param.action', rule: 'isIn', message: `param.action must be one of ${STEP_ACTIONS.join(', ')}` }] });
    }
    if (action === 'reject' && !body.reason) throw IntakeErrors.error('ValidationFailed', 'reason is required to reject: why the versions are sent back.', { field: 'reason', fields: [{ field: 'reason', rule: 'isDefined', message: 'reason is required' }] });
    return this.procedure.transitionImport(action as StepAction, importId, principal, { comment: body.comment, reason: body.reason });
  }
}
