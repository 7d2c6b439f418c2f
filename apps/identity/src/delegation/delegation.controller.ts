import { Body, Controller, Delete, Get, Headers, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { requireIdempotencyKey, runIdempotent } from '@gov/service-kit';
import { DataSource } from 'typeorm';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, OFFICER_ROLES, type Principal, actorLabel } from '@gov/auth';
import type { Request } from 'express';
import { AuditService } from '../audit/audit.service';
import { DelegationService } from './delegation.service';
import { CreateDelegationDto } from './dtos/delegation.dto';

@ApiTags('delegations')
@Controller('delegations')
@Authenticated(...OFFICER_ROLES)
export class DelegationController {
  constructor(
    private readonly delegations: DelegationService,
    private readonly audit: AuditService,
    private readonly ds: DataSource,
  ) {}

  /** Needs an Idempotency-Key header: a retried request returns the first result instead of a second delegation. */
  @Post()
  async create(@Body() dto: CreateDelegationDto, @CurrentPrincipal() p: Principal, @Req() req: Request, @Headers('idempotency-key') key?: string) {
    const { result: d, replayed } = await runIdempotent(this.ds, `delegation:${p.subject}`, requireIdempotencyKey(key), dto, (m) => this.delegations.create(p, dto, m));
    if (replayed) return d;
    await this.audit.record({ actor: p.subject, actorLabel: actorLabel(p), action: 'delegation.create', target: d.id, outcome: 'success', ip: req.ip, details: { to: d.toUser, orgCode: d.orgCode, roles: d.roles, mode: d.mode, endsAt: new Date(d.endsAt).toISOString() } });
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
