import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import { AuditService } from '../audit/audit.service';
import { CreateOrganisationDto, MatterDelegationDto } from './dtos/organisation.dto';
import { OrganisationsService } from './organisations.service';

@ApiTags('organisations')
@Controller('organisations')
@Authenticated()
export class OrganisationsController {
  constructor(
    private readonly orgs: OrganisationsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  tree() {
    return this.orgs.tree();
  }

  @Get(':code')
  get(@Param('code') code: string) {
    return this.orgs.get(code);
  }

  @Post()
  @Authenticated(Role.Sysadmin)
  async create(@Body() dto: CreateOrganisationDto, @CurrentPrincipal() p: Principal) {
    const org = await this.orgs.create(dto);
    await this.audit.record({ actor: p.subject, actorLabel: p.name, action: 'organisation.create', target: org.code, outcome: 'success', details: { name: org.name, kind: org.kind } });
    return org;
  }

  @Get(':code/matter-delegations')
  matterDelegations(@Param('code') code: string) {
    return this.orgs.matterDelegations(code);
  }

  @Post(':code/matter-delegations')
  @Authenticated(Role.Sysadmin, Role.Leader)
  async delegateMatter(@Param('code') code: string, @Body() dto: MatterDelegationDto, @CurrentPrincipal() p: Principal) {
    if (!p.roles.includes(Role.Sysadmin)) OrgScope.assertCanActOn(p, { orgCode: code });
    const row = await this.orgs.delegateMatter(code, dto.toOrg, dto.matterCode);
    await this.audit.record({ actor: p.subject, actorLabel: p.name, action: 'organisation.delegate-matter', target: code, outcome: 'success', details: { toOrg: dto.toOrg, matterCode: dto.matterCode } });
    return row;
  }
}
