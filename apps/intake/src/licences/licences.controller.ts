import { Authenticated, CurrentPrincipal, OFFICER_ROLES, OrgScope, type Principal, Role, SecurityEvents } from '@gov/auth';
import { ApiErrors, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { IntakeErrors } from '../errors';
import type { Licence } from './licence.entity';
import { LicenceRevocations } from './licence-revocation.service';
import { LICENCE_NUMBER, LicenceViewDto, LicencesQuery, RevokeLicenceDto } from './licence-view.dto';
import { LicencesService } from './licences.service';

/**
 * The licence-and-approval sharing store (证照批文共享): an applicant reads their own licences; officers of any
 * department read any holder's (the sharing purpose: a department checks a licence instead of asking for a copy),
 * and every such read is audited as a personal-data read.
 */
/** Who revokes a licence by hand for its issuing department (a decision of the office, not of a handler). */
const REVOKING = [Role.SectionChief, Role.Leader] as const;

@ApiTags('licences')
@Controller('licences')
@Authenticated(Role.Applicant, ...OFFICER_ROLES, Role.Service)
export class LicencesController {
  constructor(
    private readonly licences: LicencesService,
    private readonly events: SecurityEvents,
    private readonly revocations: LicenceRevocations,
  ) {}

  @Get()
  @ApiOperation({ summary: "A holder's licences: an applicant their own (holderId may be left out), officers any holder's (audited)" })
  @ApiOkResponse({ type: LicenceViewDto, isArray: true })
  @ApiErrors(IntakeErrors, 'ValidationFailed', 'InvalidText', 'MissingToken', 'InvalidToken', 'InsufficientRole', 'NotOwnApplication')
  async list(@Query() q: LicencesQuery, @CurrentPrincipal() p: Principal, @Req() req: Request): Promise<LicenceViewDto[]> {
    const holderId = q.holderId ?? (p.type === 'applicant' ? p.applicantId : undefined);
    if (!holderId) throw IntakeErrors.error('ValidationFailed', 'Name the holder: holderId (a resident ID or a unified credit code).', { field: 'holderId' });
    if (p.type === 'applicant') OrgScope.assertCanActOn(p, { orgCode: '', applicantId: holderId });
    const found = await this.licences.byHolder(holderId);
    if (p.type !== 'applicant') this.events.personalDataExport(p, 'licences.list', req.path, { records: found.length, fields: ['holder.id', 'holder.name'], purpose: '证照批文共享' }, req.ip);
    return this.licences.views(found);
  }

  @Get(':licenceNumber')
  @ApiOperation({ summary: 'One licence: its status (valid, expired, revoked, pending) and how to verify its sealed document' })
  @ApiParam({ name: 'licenceNumber', description: 'LIC-<case number>', example: 'LIC-449900-20260101-999999' })
  @ApiOkResponse({ type: LicenceViewDto })
  @ApiErrors(IntakeErrors, 'InvalidLicenceNumber', 'InvalidText', 'MissingToken', 'InvalidToken', 'InsufficientRole', 'NotOwnApplication', 'LicenceNotFound')
  async get(@Param('licenceNumber') licenceNumber: string, @CurrentPrincipal() p: Principal, @Req() req: Request): Promise<LicenceViewDto> {
    const l = await this.found(licenceNumber, p);
    if (p.type !== 'applicant') this.events.personalDataExport(p, 'licences.get', req.path, { records: 1, fields: ['holder.id', 'holder.name'], purpose: '证照批文共享' }, req.ip);
    return this.licences.view(l);
  }

  @Authenticated(...REVOKING)
  @Post(':licenceNumber/revocation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a licence by hand (its issuing department only: a section chief or leader), with the reason and legal basis; once, audited, announced as gov.intake.licence.revoked; it can no longer be reused for a material' })
  @ApiParam({ name: 'licenceNumber', description: 'LIC-<case number>', example: 'LIC-449900-20260101-999999' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per request; a retry with the same key returns the same answer (Idempotent-Replayed: true)' })
  @ApiOkResponse({ type: LicenceViewDto })
  @ApiErrors(
    IntakeErrors,
    'InvalidLicenceNumber',
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
    'MissingToken',
    'InvalidToken',
    'InsufficientRole',
    'OutsideOrganisation',
    'LicenceNotFound',
    'LicenceAlreadyRevoked',
  )
  async revoke(
    @Param('licenceNumber') licenceNumber: string,
    @Body() body: RevokeLicenceDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<LicenceViewDto> {
    if (!LICENCE_NUMBER.test(licenceNumber)) throw IntakeErrors.error('InvalidLicenceNumber', 'A licence number is LIC-<case number>, e.g. LIC-449900-20261203-000001.', { field: 'licenceNumber' });
    const done = await this.revocations.revokeByHand(licenceNumber, body, requireIdempotencyKey(key), p, req.ip);
    if (done.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return done.result;
  }

  private async found(licenceNumber: string, p: Principal): Promise<Licence> {
    if (!LICENCE_NUMBER.test(licenceNumber)) throw IntakeErrors.error('InvalidLicenceNumber', 'A licence number is LIC-<case number>, e.g. LIC-449900-20261203-000001.', { field: 'licenceNumber' });
    const l = await this.licences.byNumber(licenceNumber);
    // An applicant asking for another holder's licence learns nothing more than that it is not theirs to see.
    if (!l) throw IntakeErrors.error('LicenceNotFound', `No licence ${licenceNumber}.`, { field: 'licenceNumber' });
    if (p.type === 'applicant') OrgScope.assertCanActOn(p, { orgCode: l.departmentCode, applicantId: l.holderId });
    return l;
  }
}
