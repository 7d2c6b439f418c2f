import { ApiErrors, Public } from '@gov/service-kit';
import { Controller, Get, Header, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IntakeErrors } from '../../errors';
import { MATTER_CODE_RULE, MatterCodePipe } from '../matter-code';
import { CommitmentListDto, FormQuery, GuideDto, GuidePageDto, GuideSearchQuery } from './guide.dto';
import { GuideService } from './guide.service';

function attachment(file: string): string {
  return `attachment; filename="${file.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file)}`;
}

/** The public service guide (办事指南公开): unauthenticated, read-only; secret matters never appear. */
@ApiTags('guide')
@Controller('guide')
export class GuideController {
  constructor(private readonly guide: GuideService) {}

  @Public()
  @Get('matters')
  @ApiOperation({ summary: 'Search the public catalogue by department, level, kind, category, online class, commitment and keyword (paged)' })
  @ApiOkResponse({ type: GuidePageDto })
  @ApiErrors(IntakeErrors, 'ValidationFailed', 'InvalidText')
  search(@Query() query: GuideSearchQuery): Promise<GuidePageDto> {
    return this.guide.search(query);
  }

  @Public()
  @Get('commitment')
  @ApiOperation({ summary: 'The matters open to notification-commitment (告知承诺制) and the commitment letter template' })
  @ApiOkResponse({ type: CommitmentListDto })
  commitment(): Promise<CommitmentListDto> {
    return this.guide.commitmentMatters();
  }

  @Public()
  @Get('matters/:code')
  @ApiOperation({ summary: "A matter's service guide (办事指南): every element, in the applicant's words" })
  @ApiParam({ name: 'code', description: MATTER_CODE_RULE })
  @ApiOkResponse({ type: GuideDto })
  @ApiErrors(IntakeErrors, 'InvalidMatterCode', 'InvalidText', 'MatterNotFound')
  one(@Param('code', new MatterCodePipe()) code: string): Promise<GuideDto> {
    return this.guide.guide(code);
  }

  @Public()
  @Get('matters/:code/form')
  @ApiOperation({ summary: "Download the matter's application form: its JSON Schema, or a printable PDF / DOCX" })
  @ApiProduces('application/schema+json', 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
  @ApiErrors(IntakeErrors, 'InvalidMatterCode', 'InvalidText', 'ValidationFailed', 'MatterNotFound')
  async form(@Param('code', new MatterCodePipe()) code: string, @Query() query: FormQuery, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const f = await this.guide.form(code, query.format ?? 'json');
    const bytes = Buffer.isBuffer(f.body) ? f.body : Buffer.from(JSON.stringify(f.body, null, 2), 'utf8');
    res.setHeader('Cache-Control', 'public, max-age=300');
    return new StreamableFile(bytes, { type: f.contentType === 'application/schema+json' ? 'application/schema+json; charset=utf-8' : f.contentType, disposition: f.contentType === 'application/schema+json' ? 'inline' : attachment(f.file), length: bytes.length });
  }

  @Public()
  @Get('templates/:file')
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOperation({ summary: 'Download a material template or the commitment letter (PDF or DOCX)' })
  @ApiParam({ name: 'file', description: 'Template file name, e.g. premises-plan.pdf' })
  @ApiProduces('application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
  @ApiErrors(IntakeErrors, 'InvalidTemplateName', 'InvalidText', 'TemplateNotFound')
  async template(@Param('file') file: string): Promise<StreamableFile> {
    const t = await this.guide.template(file);
    return new StreamableFile(t.bytes, { type: t.contentType, disposition: attachment(t.file), length: t.bytes.length });
  }
}
