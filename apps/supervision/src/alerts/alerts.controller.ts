import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import { ApiErrors, KitErrors } from '@gov/service-kit';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CursorQuery, LimitQuery, OptionalCaseNumberQuery, OptionalLevelQuery, type QueryNumber } from '../common/params';
import { SupervisionErrors } from '../errors';
import { type AlertRow, AlertsRepository } from './alerts.repository';

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
  @ApiQuery({ name: 'caseNumber', required: false, example: '441200-20261122-000001' })
  @ApiQuery({ name: 'level', required: false, enum: ['yellow', 'red'] })
  @ApiQuery({ name: 'after', required: false, description: 'Return alerts after this ledger sequence number (page through with the last seq)' })
  @ApiQuery({ name: 'limit', required: false, description: '1-500, default 200' })
  @ApiErrors(SupervisionErrors, 'BadCaseNumber', 'BadLevel', 'BadCursor', 'BadLimit')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query('caseNumber', OptionalCaseNumberQuery) caseNumber: string | undefined,
    @Query('level', OptionalLevelQuery) level: 'yellow' | 'red' | undefined,
    @Query('after', CursorQuery) afterSeq: QueryNumber,
    @Query('limit', LimitQuery) limit: QueryNumber,
  ): Promise<AlertRow[]> {
    // A supervisor sees the alerts of the organisations they supervise (their region and everything below it).
    return this.alerts.list({ caseNumber, level, afterSeq, orgs: OrgScope.visibleOrgs(principal) }, limit);
  }
}
