import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role, actingSubject } from '@gov/auth';
import { caseScope } from '../cases/case-scope';
import { ApiErrors, KitErrors, ParseCaseNumberParam, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CasesRepository } from '../cases/cases.repository';
import { ApprovalErrors } from '../errors';
import { OFFICERS } from '../worklist/officers';
import { OpinionsRepository } from '../worklist/opinions.repository';
import { EnrolSigningKeyDto, OpinionVerificationDto, SigningKeyDto } from './dtos/signing.dto';
import type { OfficerSigningKey } from './officer-signing-key.entity';
import { type OpinionVerification, OpinionVerifier } from './opinion-verification';
import { SigningKeysService } from './signing-keys.service';

function view(k: OfficerSigningKey): SigningKeyDto {
  return {
    serial: k.certSerial,
    subject: k.subject,
    notBefore: k.notBefore.toISOString(),
    notAfter: k.notAfter.toISOString(),
    enrolledAt: new Date(k.createdAt).toISOString(),
    certificateChainPem: k.certChainPem,
  };
}

@ApiTags('signing')
@Controller()
export class SigningController {
  constructor(
    private readonly keys: SigningKeysService,
    private readonly verifier: OpinionVerifier,
    private readonly cases: CasesRepository,
    private readonly opinions: OpinionsRepository,
  ) {}

  @Post('signing-keys')
  @Authenticated(...OFFICERS)
  @ApiOperation({ summary: "Enrol a new opinion-signing key (generated here, certified by identity's CA) replacing the current one; your own token, not under delegation" })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: SigningKeyDto })
  @ApiErrors(ApprovalErrors, 'DelegatedEnrolment', 'SigningCertificateRefused', 'IdentityUnavailable')
  @ApiErrors(KitErrors, 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused', 'ValidationFailed', 'InvalidText')
  async enrol(
    @Body() body: EnrolSigningKeyDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('authorization') authorization: string | undefined,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SigningKeyDto> {
    const { key: enrolled, replayed } = await this.keys.enrolExplicitly(principal, authorization, { key: requireIdempotencyKey(key), reason: body.reason ?? null });
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return view(enrolled);
  }

  @Get('signing-keys/current')
  @Authenticated(...OFFICERS)
  @ApiOperation({ summary: 'Your current opinion-signing certificate (serial, validity, subject); never the private key' })
  @ApiOkResponse({ type: SigningKeyDto })
  @ApiErrors(ApprovalErrors, 'NoSigningKey')
  async current(@CurrentPrincipal() principal: Principal): Promise<SigningKeyDto> {
    const k = await this.keys.current(actingSubject(principal));
    if (!k) throw ApprovalErrors.error('NoSigningKey', 'You have no opinion-signing key yet: it is enrolled at your first completion, or with POST /signing-keys.');
    return view(k);
  }

  @Get('cases/:caseNumber/opinions/:opinionId/verification')
  @Authenticated(...OFFICERS, Role.Supervisor)
  @ApiOperation({
    summary:
      "Verify a signed opinion: signature, certificate chain to identity's CA root, certificate status at signing and now, signed payload against the stored opinion, the case's ledger chain (officers of the handling organisation, supervisors)",
  })
  @ApiParam({ name: 'caseNumber', example: '449900-20261122-000001' })
  @ApiParam({ name: 'opinionId', example: '42' })
  @ApiOkResponse({ type: OpinionVerificationDto })
  @ApiErrors(ApprovalErrors, 'CaseNotFound', 'OpinionNotFound', 'IdentityUnavailable')
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText')
  async verification(
    @Param('caseNumber', ParseCaseNumberParam) caseNumber: string,
    @Param('opinionId') opinionId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OpinionVerification> {
    const c = await this.cases.find(caseNumber);
    if (!c) throw ApprovalErrors.error('CaseNotFound', `No case ${caseNumber}.`);
    OrgScope.assertCanActOn(principal, caseScope(c));
    const opinion = await this.opinions.byId(caseNumber, opinionId);
    if (!opinion) throw ApprovalErrors.error('OpinionNotFound', `Case ${caseNumber} has no opinion ${opinionId}; the case's opinions are listed at GET /cases/${caseNumber}.`);
    return this.verifier.verify(opinion);
  }
}
