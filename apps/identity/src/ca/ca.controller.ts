import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, OFFICER_ROLES, type Principal, Public, RateLimit, Role } from '@gov/auth';
import { AppError, requireIdempotencyKey, runIdempotent } from '@gov/service-kit';
import type { Request } from 'express';
import { AuditService } from '../audit/audit.service';
import { OrganisationsService } from '../organisations/organisations.service';
import { UsersRepository } from '../users/users.repository';
import { RatePolicy } from '../auth/rate-limits';
import { CaService } from './ca.service';
import { CertificateLogin } from './certificate-login';
import type { IssuedCertificate } from './certificate.entity';
import { ChallengeDto, IssueOfficerCertificateDto, IssueSealCertificateDto, RenewCertificateDto, RevokeCertificateDto, VerifyJwsDto } from './dtos/ca.dto';

function view(c: IssuedCertificate) {
  return {
    serial: c.serial,
    kind: c.kind,
    subject: c.subjectDn,
    orgCode: c.orgCode,
    userId: c.subjectUserId,
    status: c.status,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    revokedAt: c.revokedAt,
    revocationReason: c.revocationReason,
    replacesSerial: c.replacesSerial,
    certificatePem: c.certPem,
  };
}

function dnEscape(v: string): string {
  return v.replace(/([,+"\\<>;=])/g, '\\$1');
}

@ApiTags('ca')
@Controller()
export class CaController {
  constructor(
    private readonly ca: CaService,
    private readonly certLogin: CertificateLogin,
    private readonly users: UsersRepository,
    private readonly orgs: OrganisationsService,
    private readonly audit: AuditService,
    private readonly ds: DataSource,
  ) {}

  @Get('ca/chain')
  @Public()
  chain() {
    return this.ca.chain();
  }

  @Get('ca/crl')
  @Public()
  @Header('Content-Type', 'application/x-pem-file')
  crl() {
    return this.ca.crlPem();
  }

  @Get('ca/certificates/:serial')
  @Public()
  async get(@Param('serial') serial: string) {
    return view(await this.ca.get(serial));
  }

  /** OCSP-like status, signed by the issuing CA. */
  @Get('ca/certificates/:serial/status')
  @Public()
  status(@Param('serial') serial: string) {
    return this.ca.status(serial);
  }

  /**
   * Officer signing certificate. Administrators issue for anyone; an officer may request one for themself; a service
   * client (approval, which holds officers' opinion-signing keys) for a named officer, with the public key only (a
   * service never receives a private key from here).
   */
  @Post('ca/certificates/officer')
  @Authenticated(...OFFICER_ROLES, Role.Service)
  async issueOfficer(@Body() dto: IssueOfficerCertificateDto, @CurrentPrincipal() p: Principal, @Req() req: Request, @Headers('idempotency-key') key?: string) {
    const idempotencyKey = requireIdempotencyKey(key);
    const byService = p.type === 'service' && p.roles.includes(Role.Service);
    if (p.actor) throw AppError.forbidden('DelegatedTokenNotAllowed', 'Certificates are requested with your own token, not under delegation.');
    if (byService && !dto.publicKeyPem) throw AppError.badRequest('PublicKeyRequired', 'A service requests an officer certificate for a public key it holds: send publicKeyPem.');
    if (!byService && !p.roles.includes(Role.Sysadmin) && dto.userId !== p.subject) throw AppError.forbidden('NotYourself', 'Officers may only request a certificate for themselves.');
    const user = await this.users.byId(dto.userId);
    if (!user || user.kind !== 'officer') throw AppError.badRequest('NotAnOfficer', 'Certificates for signing opinions are issued to officers only.');
    const grants = await this.users.roles(user.id);
    const orgCode = grants[0]?.orgCode;
    if (!orgCode) throw AppError.badRequest('NoOrganisation', 'The officer holds no role at any organisation.');
    const org = await this.orgs.get(orgCode);
    // A generated private key is returned once and never stored, not even in the idempotency record.
    let privateKeyPem: string | undefined;
    const { result, replayed } = await runIdempotent(this.ds, `ca-officer:${p.subject}`, idempotencyKey, dto, async (manager) => {
      const issued = await this.ca.issue({
        kind: 'officer',
        subject: `CN=${dnEscape(user.displayName)}, O=${dnEscape(org.name)}, 2.5.4.5=${user.id}, C=CN`,
        orgCode,
        userId: user.id,
        publicKeyPem: dto.publicKeyPem,
        validityDays: dto.validityDays ?? 365,
        manager,
      });
      privateKeyPem = issued.privateKeyPem;
      return view(issued.certificate);
    });
    if (replayed) return result;
    await this.audit.record({
      actor: p.subject,
      actorLabel: p.name,
      action: 'ca.issue-officer',
      target: result.serial,
      outcome: 'success',
      ip: req.ip,
      details: { userId: user.id, generatedKey: !dto.publicKeyPem, ...(byService ? { requestedBy: 'service' } : {}) },
    });
    return { ...result, privateKeyPem };
  }

  /** Department electronic seal (电子印章): the key stays here, encrypted; sealing happens through /seals. */
  @Post('ca/certificates/seal')
  @Authenticated(Role.Sysadmin)
  async issueSeal(@Body() dto: IssueSealCertificateDto, @CurrentPrincipal() p: Principal, @Req() req: Request, @Headers('idempotency-key') key?: string) {
    const idempotencyKey = requireIdempotencyKey(key);
    const org = await this.orgs.get(dto.orgCode);
    if (org.kind !== 'department') throw AppError.badRequest('NotADepartment', 'Seals are issued to departments.');
    const { result, replayed } = await runIdempotent(this.ds, `ca-seal:${p.subject}`, idempotencyKey, dto, async (manager) =>
      view((await this.ca.issue({ kind: 'seal', subject: `CN=${dnEscape(org.name)}电子印章, O=${dnEscape(org.name)}, 2.5.4.5=${org.code}, C=CN`, orgCode: org.code, validityDays: dto.validityDays ?? 730, manager })).certificate),
    );
    if (!replayed) await this.audit.record({ actor: p.subject, actorLabel: p.name, action: 'ca.issue-seal', target: result.serial, outcome: 'success', ip: req.ip, details: { orgCode: org.code } });
    return result;
  }

  @Post('ca/certificates/:serial/renew')
  @Authenticated(Role.Sysadmin)
  async renew(@Param('serial') serial: string, @Body() dto: RenewCertificateDto, @CurrentPrincipal() p: Principal, @Req() req: Request, @Headers('idempotency-key') key?: string) {
    const { result, replayed } = await runIdempotent(this.ds, `ca-renew:${serial}`, requireIdempotencyKey(key), dto, async (manager) =>
      view((await this.ca.renew(serial, dto.validityDays ?? 365, manager)).certificate),
    );
    if (!replayed) await this.audit.record({ actor: p.subject, actorLabel: p.name, action: 'ca.renew', target: serial, outcome: 'success', ip: req.ip, details: { newSerial: result.serial } });
    return result;
  }

  @Post('ca/certificates/:serial/revoke')
  @HttpCode(200)
  @Authenticated(...OFFICER_ROLES)
  async revoke(@Param('serial') serial: string, @Body() dto: RevokeCertificateDto, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    const cert = await this.ca.get(serial);
    // An officer may revoke their own certificate (e.g. a lost key); everything else is the administrator's.
    if (!p.roles.includes(Role.Sysadmin) && (p.actor || cert.subjectUserId !== p.subject)) {
      throw AppError.forbidden('NotYourCertificate', 'Only the holder or an administrator can revoke this certificate.');
    }
    const revoked = await this.ca.revoke(serial, dto.reason);
    await this.audit.record({ actor: p.subject, actorLabel: p.name, action: 'ca.revoke', target: serial, outcome: 'success', ip: req.ip, details: { reason: dto.reason } });
    return view(revoked);
  }

  /** Verifies a JWS carrying an x5c chain issued by this CA (signed opinions, seals). */
  @Post('ca/verify-jws')
  @Public()
  @RateLimit(RatePolicy.SignatureVerify)
  @HttpCode(200)
  async verifyJws(@Body() dto: VerifyJwsDto, @Req() req: Request) {
    try {
      const v = await this.ca.verifyJws(dto.jws);
      return { valid: true, signer: v.signer, header: { alg: v.header.alg, typ: v.header.typ }, payload: v.payload.toString('utf8') };
    } catch (e) {
      if (e instanceof AppError) await this.audit.record({ actor: null, action: 'ca.verify-jws', outcome: 'failure', ip: req.ip, details: { reason: e.code } });
      throw e;
    }
  }

  /** A challenge for the certificate second factor (see POST /auth/login certificateSignature). */
  @Post('auth/challenge')
  @Public()
  @RateLimit(RatePolicy.Challenge)
  @HttpCode(200)
  challenge(@Body() dto: ChallengeDto) {
    return this.certLogin.challenge(dto.username);
  }
}
