import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import { ApiErrors, KitErrors } from '@gov/service-kit';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AlertRow, AlertsRepository } from './alerts.repository';
import { AlertsQueryDto } from './dtos/alerts-query.dto';

@ApiTags('supervision')
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsRepository) {}

  @Get('verify')
  @Authenticated(Role.Supervisor, Role.Sysadmin)
  @ApiOperation({ summary: 'Verify the hash chain of the whole alert ledger (detects edits made around the triggers)' })
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  verify(): Promise<{ checked: number; firstBroken: string | null }> {
    return this.alerts.verifyChain();
  }

  @Get()
  @Authenticated(Role.Supervisor, Role.Sysadmin)
  @ApiOperation({ summary: "The alert ledger, oldest first, limited to the caller's organisations" })
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden', 'ValidationFailed')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() q: AlertsQueryDto,
  ): Promise<AlertRow[]> {
    // A supervisor sees the alerts of the organisations they supervise (their region and everything below it).
    return this.alerts.list({ caseNumber: q.caseNumber, level: q.level, afterSeq: Number(q.after ?? 0), orgs: OrgScope.visibleOrgs(principal) }, q.limit ?? 200);
  }
}
