import { lightAt } from '@gov/calendar';
import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import { AppError } from '@gov/service-kit';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Clock } from '../clock/clock';
import { SUPERVISION_CONFIG, type SupervisionConfig } from '../config';
import { StepsRepository } from '../steps/steps.repository';
import { type AlertRow, AlertsRepository } from './alerts.repository';

@ApiTags('supervision')
@Controller()
export class SupervisionController {
  constructor(
    private readonly steps: StepsRepository,
    private readonly alerts: AlertsRepository,
    private readonly clock: Clock,
    @Inject(SUPERVISION_CONFIG) private readonly config: SupervisionConfig,
  ) {}

  @Get('cases/:caseNumber/steps')
  @Authenticated(Role.Supervisor, Role.Sysadmin, Role.Leader, Role.SectionChief, Role.Handler, Role.WindowClerk)
  @ApiOperation({ summary: "A case's steps with deadlines and their light now (supervisors; officers of the handling organisations)" })
  async caseSteps(@Param('caseNumber') caseNumber: string, @CurrentPrincipal() principal: Principal) {
    const now = this.clock.now();
    const rows = await this.steps.forCase(caseNumber);
    if (rows.length === 0) throw AppError.notFound('CaseNotSupervised', `No steps recorded for case ${caseNumber} (yet).`);
    // The organisations a case involves are those named by its steps' candidate groups (role:organisation).
    const orgs = [...new Set(rows.flatMap((s) => s.candidateGroups.map((g) => g.slice(g.indexOf(':') + 1))))];
    OrgScope.assertCanActOn(principal, { orgCode: orgs[0] ?? '', sharedWith: orgs.slice(1) });
    return rows.map((s) => ({
      ...s,
      light: s.deadline === null ? 'none' : lightAt(s.closedAt ?? now, s.deadline, this.config.YELLOW_WINDOW_HOURS * 3600 * 1000),
    }));
  }

  @Get('alerts/verify')
  @Authenticated(Role.Supervisor, Role.Sysadmin)
  @ApiOperation({ summary: 'Verify the hash chain of the whole alert ledger (detects edits made around the triggers)' })
  verify(): Promise<{ checked: number; firstBroken: string | null }> {
    return this.alerts.verifyChain();
  }

  @Get('alerts')
  @Authenticated(Role.Supervisor, Role.Sysadmin)
  @ApiOperation({ summary: 'The alert ledger, oldest first' })
  @ApiQuery({ name: 'caseNumber', required: false })
  @ApiQuery({ name: 'level', required: false, enum: ['yellow', 'red'] })
  @ApiQuery({ name: 'after', required: false, description: 'Return alerts after this ledger sequence number (page through with the last seq)' })
  @ApiQuery({ name: 'limit', required: false, description: '1-500, default 200' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query('caseNumber') caseNumber?: string,
    @Query('level') level?: string,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
  ): Promise<AlertRow[]> {
    if (level !== undefined && level !== 'yellow' && level !== 'red') throw AppError.badRequest('BadLevel', "level must be 'yellow' or 'red'");
    const afterSeq = after === undefined ? 0 : Number(after);
    if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) throw AppError.badRequest('BadCursor', 'after must be a non-negative whole number (a ledger seq).');
    const max = limit === undefined ? 200 : Number(limit);
    if (!Number.isInteger(max) || max < 1 || max > 500) throw AppError.badRequest('BadLimit', 'limit must be a whole number from 1 to 500.');
    // A supervisor sees the alerts of the organisations they supervise (their region and everything below it).
    return this.alerts.list({ caseNumber, level, afterSeq, orgs: OrgScope.visibleOrgs(principal) }, max);
  }
}
