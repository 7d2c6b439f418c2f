import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ParseUuidParam } from '@gov/service-kit';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Public, type Principal, RateLimit, Role, SecurityEvents } from '@gov/auth';
import type { Request } from 'express';
import { AuditService } from '../audit/audit.service';
import { CreateOfficerDto, RegisterApplicantDto, RoleGrantDto } from './dtos/user.dto';
import { RatePolicy } from '../auth/rate-limits';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller()
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly events: SecurityEvents,
  ) {}

  @Get('users/me')
  @Authenticated()
  me(@CurrentPrincipal() p: Principal) {
    return this.users.me(p);
  }

  @Get('users')
  @Authenticated(Role.Sysadmin)
  async list(@CurrentPrincipal() p: Principal, @Req() req: Request, @Query('kind') kind?: string) {
    const users = await this.users.list(kind === 'officer' || kind === 'applicant' ? kind : undefined);
    // A list of users is personal data leaving the service in bulk: recorded (how many, which fields), not the data.
    this.events.personalDataExport(p, 'users.list', req.path, { records: users.length, fields: ['username', 'displayName', 'applicantId'], kind: kind ?? 'all' }, req.ip);
    return users;
  }

  @Get('users/:id')
  @Authenticated(Role.Sysadmin, Role.Service)
  get(@Param('id', ParseUuidParam) id: string) {
    return this.users.get(id);
  }

  @Post('users/officers')
  @Authenticated(Role.Sysadmin)
  async createOfficer(@Body() dto: CreateOfficerDto, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    const created = await this.users.createOfficer(dto);
    await this.audit.record({ actor: p.subject, actorLabel: p.name, action: 'user.create-officer', target: created.user.id, outcome: 'success', ip: req.ip, details: { username: dto.username, roles: dto.roles.map((r) => ({ orgCode: r.orgCode, role: r.role })) } });
    return created;
  }

  /** Self-registration of applicants (persons by resident ID, legal entities by credit code). */
  @Post('applicants/register')
  @Public()
  @RateLimit(RatePolicy.Register)
  async register(@Body() dto: RegisterApplicantDto, @Req() req: Request) {
    try {
      const user = await this.users.registerApplicant(dto);
      await this.audit.record({ actor: user.id, actorLabel: dto.displayName, action: 'applicant.register', target: user.id, outcome: 'success', ip: req.ip, details: { applicantKind: dto.applicantKind } });
      return user;
    } catch (e) {
      await this.audit.record({ actor: null, actorLabel: dto.username, action: 'applicant.register', outcome: 'failure', ip: req.ip, details: { reason: e instanceof Error ? e.message : 'unknown', applicantKind: dto.applicantKind } });
      throw e;
    }
  }

  @Post('users/:id/roles')
  @Authenticated(Role.Sysadmin)
  async grant(@Param('id', ParseUuidParam) id: string, @Body() dto: RoleGrantDto, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    const user = await this.users.grantRole(id, dto);
    await this.audit.record({ actor: p.subject, actorLabel: p.name, action: 'user.grant-role', target: id, outcome: 'success', ip: req.ip, details: { orgCode: dto.orgCode, role: dto.role } });
    return user;
  }

  @Delete('users/:id/roles')
  @Authenticated(Role.Sysadmin)
  async revoke(@Param('id', ParseUuidParam) id: string, @Body() dto: RoleGrantDto, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    const user = await this.users.revokeRole(id, dto);
    await this.audit.record({ actor: p.subject, actorLabel: p.name, action: 'user.revoke-role', target: id, outcome: 'success', ip: req.ip, details: { orgCode: dto.orgCode, role: dto.role } });
    return user;
  }

  @Post('users/:id/unlock')
  @HttpCode(204)
  @Authenticated(Role.Sysadmin)
  async unlock(@Param('id', ParseUuidParam) id: string, @CurrentPrincipal() p: Principal, @Req() req: Request): Promise<void> {
    await this.users.unlock(id);
    await this.audit.record({ actor: p.subject, actorLabel: p.name, action: 'user.unlock', target: id, outcome: 'success', ip: req.ip });
  }
}
