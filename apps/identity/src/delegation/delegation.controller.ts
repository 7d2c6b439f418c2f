import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal, Role, actorLabel } from '@gov/auth';
import type { Request } from 'express';
import { AuditService } from '../audit/audit.service';
import { DelegationService } from './delegation.service';
import { CreateDelegationDto } from './dtos/delegation.dto';

@ApiTags('delegations')
@Controller('delegations')
@Authenticated(Role.WindowClerk, Role.Handler, Role.SectionChief, Role.Leader, Role.Supervisor, Role.ProcessAnalyst, Role.Sysadmin)
export class DelegationController {
  constructor(
    private readonly delegations: DelegationService,
    private readonly audit: AuditService,
  ) {}

  @Post()
  async create(@Body() dto: CreateDelegationDto, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    const d = await this.delegations.create(p, dto);
    await this.audit.record({ actor: p.subject, actorLabel: actorLabel(p), action: 'delegation.create', target: d.id, outcome: 'success', ip: req.ip, details: { to: d.toUser, orgCode: d.orgCode, roles: d.roles, mode: d.mode, endsAt: d.endsAt.toISOString() } });
    return d;
  }

  @Get()
  mine(@CurrentPrincipal() p: Principal) {
    return this.delegations.mine(p);
  }

  @Delete(':id')
  async revoke(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    const d = await this.delegations.revoke(p, id);
    await this.audit.record({ actor: p.subject, actorLabel: actorLabel(p), action: 'delegation.revoke', target: id, outcome: 'success', ip: req.ip });
    return d;
  }
}
