import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import { ApiErrors, ParseCaseNumberParam, ParseUuidParam } from '@gov/service-kit';
import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IntakeErrors } from '../errors';
import { NoticeViewDto } from './dtos/notice-view.dto';
import { NoticeIssuer } from './notice-issuer.service';
import type { Notice } from './notice.entity';
import { NoticesRepository } from './notices.repository';

const READERS = [Role.Applicant, Role.WindowClerk, Role.Handler, Role.SectionChief, Role.Leader, Role.Supervisor, Role.Service];

/** The applicant's own notices; officers those of their organisations. */
function assertMayRead(p: Principal, n: Pick<Notice, 'applicantId' | 'departmentCode'>): void {
  OrgScope.assertCanActOn(p, { orgCode: n.departmentCode, applicantId: n.applicantId });
}

@ApiTags('notices')
@Controller('notices')
@Authenticated(...READERS)
export class NoticesController {
  constructor(
    private readonly repo: NoticesRepository,
    private readonly issuer: NoticeIssuer,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The notices of a case (接件凭证, 受理通知书, ...): the applicant their own, officers those of their organisations' })
  @ApiQuery({ name: 'case', description: 'Case number, e.g. 449900-20261122-000001' })
  @ApiOkResponse({ type: NoticeViewDto, isArray: true })
  @ApiErrors(IntakeErrors, 'ValidationFailed', 'InvalidText', 'MissingToken', 'InvalidToken', 'InsufficientRole', 'NotOwnApplication', 'OutsideOrganisation')
  async list(@Query('case', ParseCaseNumberParam) caseNumber: string, @CurrentPrincipal() p: Principal): Promise<NoticeViewDto[]> {
    const notices = await this.repo.listForCase(caseNumber);
    for (const n of notices) assertMayRead(p, n);
    return notices.map((n) => this.issuer.view(n));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One notice: its number, verification code, seal and where to download it' })
  @ApiParam({ name: 'id', description: 'Notice id (UUID)' })
  @ApiOkResponse({ type: NoticeViewDto })
  @ApiErrors(IntakeErrors, 'ValidationFailed', 'InvalidText', 'MissingToken', 'InvalidToken', 'InsufficientRole', 'NotOwnApplication', 'OutsideOrganisation', 'NoticeNotFound')
  async get(@Param('id', ParseUuidParam) id: string, @CurrentPrincipal() p: Principal): Promise<NoticeViewDto> {
    const n = await this.repo.byId(id);
    if (!n) throw IntakeErrors.error('NoticeNotFound', `No notice ${id}.`, { field: 'id' });
    assertMayRead(p, n);
    return this.issuer.view(n);
  }

  @Get(':id/pdf')
  @ApiOperation({ summary: 'Download the sealed PDF of a notice' })
  @ApiParam({ name: 'id', description: 'Notice id (UUID)' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The sealed PDF; X-Document-SHA256 is the hash identity sealed', schema: { type: 'string', format: 'binary' } })
  @ApiErrors(IntakeErrors, 'ValidationFailed', 'InvalidText', 'MissingToken', 'InvalidToken', 'InsufficientRole', 'NotOwnApplication', 'OutsideOrganisation', 'NoticeNotFound', 'NoticeNotSealed')
  async pdf(@Param('id', ParseUuidParam) id: string, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const n = await this.repo.byId(id);
    if (!n) throw IntakeErrors.error('NoticeNotFound', `No notice ${id}.`, { field: 'id' });
    assertMayRead(p, n);
    if (n.status !== 'sealed' || !n.pdf || !n.sha256) throw IntakeErrors.error('NoticeNotSealed', 'The notice is not sealed yet; it is sealed as soon as identity answers. Try again shortly.', { retryAfterSeconds: 10 });
    res.setHeader('X-Document-SHA256', n.sha256);
    res.setHeader('X-Verification-Code', n.verificationCode);
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(n.pdf, { type: 'application/pdf', disposition: `attachment; filename="notice-${n.id}.pdf"; filename*=UTF-8''${encodeURIComponent(`${n.documentNumber}.pdf`)}`, length: n.pdf.length });
  }
}
