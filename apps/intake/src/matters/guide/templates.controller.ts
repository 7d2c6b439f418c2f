import { Authenticated, CurrentPrincipal, type Principal } from '@gov/auth';
import { AcceptsBody, ApiErrors, requireIdempotencyKey } from '@gov/service-kit';
import { Controller, Headers, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiCreatedResponse, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { IntakeErrors } from '../../errors';
import { IMPORT_ROLES } from '../catalogue/catalogue-import';
import { readRaw } from '../raw-body';
import { DOCX_TYPE, PDF_TYPE } from './documents';
import { TEMPLATE_MAX_BYTES, TemplateStore } from './template-store';

/** Officers upload the template files their matters' materials name (the guide serves them). */
@ApiTags('catalogue')
@Controller('catalogue/templates')
export class TemplatesController {
  constructor(private readonly store: TemplateStore) {}

  @Authenticated(...IMPORT_ROLES)
  @Post(':file')
  @AcceptsBody(PDF_TYPE, DOCX_TYPE)
  @HttpCode(201)
  @ApiOperation({ summary: 'Upload a template file (PDF or DOCX, checked by content, at most 5 MiB); a name is written once' })
  @ApiParam({ name: 'file', description: 'e.g. premises-plan-2027.pdf: lower-case letters, digits and dashes, ending .pdf or .docx' })
  @ApiConsumes(PDF_TYPE, DOCX_TYPE)
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ description: '{ file, contentType, sha256, size, url }' })
  @ApiErrors(IntakeErrors, 'InvalidTemplateName', 'InvalidText', 'UnsupportedEncoding', 'UnsupportedMediaType', 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused', 'MissingToken', 'InvalidToken', 'InsufficientRole', 'TemplateExists', 'TemplateTooLarge', 'TemplateContentMismatch')
  async upload(
    @Param('file') file: string,
    @Req() req: Request,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ file: string; contentType: string; sha256: string; size: number; url: string }> {
    const key = requireIdempotencyKey(idempotencyKey);
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (type !== PDF_TYPE && type !== DOCX_TYPE) {
      throw IntakeErrors.error('UnsupportedMediaType', `Send the template file itself with Content-Type ${PDF_TYPE} or ${DOCX_TYPE}, not ${type || 'no Content-Type'}.`, { field: 'content-type' });
    }
    const bytes = await readRaw(req, TEMPLATE_MAX_BYTES, (maxBytes) => IntakeErrors.error('TemplateTooLarge', `A template file is at most ${maxBytes} bytes.`, { maxBytes }));
    if (bytes.length === 0) throw IntakeErrors.error('TemplateContentMismatch', 'The body is empty: send the template file.', { field: 'body' });
    const { result, replayed } = await this.store.upload(file, type, bytes, key, principal);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }
}
