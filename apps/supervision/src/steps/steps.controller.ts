import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import { ApiErrors, KitErrors, ParseCaseNumberParam } from '@gov/service-kit';
import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Clock } from '../clock/clock';
import { SUPERVISION_CONFIG, type SupervisionConfig } from '../config';
import { SupervisionErrors } from '../errors';
import { StepsRepository } from './steps.repository';

/** Red past the deadline, yellow from the step's yellow time, green before. */
function lightOf(at: Date, deadline: Date, yellowAt: Date | null): 'green' | 'yellow' | 'red' {
  if (at > deadline) return 'red';
  return yellowAt && at >= yellowAt ? 'yellow' : 'green';
}

@ApiTags('supervision')
@Controller()
export class StepsController {
  constructor(
    private readonly steps: StepsRepository,
    private readonly clock: Clock,
    @Inject(SUPERVISION_CONFIG) private readonly config: SupervisionConfig,
  ) {}

  @Get('cases/:caseNumber/steps')
  @Authenticated(Role.Supervisor, Role.Sysadmin, Role.Leader, Role.SectionChief, Role.Handler, Role.WindowClerk)
  @ApiOperation({ summary: "A case's steps with deadlines and their light now (supervisors; officers of the handling organisations)" })
  @ApiParam({ name: 'caseNumber', example: '441200-20261122-000001' })
  @ApiErrors(SupervisionErrors, 'CaseNotSupervised')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden', 'InvalidParameter', 'InvalidText')
  async caseSteps(@Param('caseNumber', ParseCaseNumberParam) caseNumber: string, @CurrentPrincipal() principal: Principal) {
    const now = this.clock.now();
    const rows = await this.steps.forCase(caseNumber);
    if (rows.length === 0) throw SupervisionErrors.error('CaseNotSupervised', `No steps recorded for case ${caseNumber} (yet).`);
    // The organisations a case involves are those named by its steps' candidate groups (role:organisation).
    const orgs = [...new Set(rows.flatMap((s) => s.candidateGroups.map((g) => g.slice(g.indexOf(':') + 1))))];
    OrgScope.assertCanActOn(principal, { orgCode: orgs[0] ?? '', sharedWith: orgs.slice(1) });
    return rows.map((s) => ({
      ...s,
      light: s.deadline === null ? 'none' : lightOf(s.closedAt ?? now, s.deadline, s.yellowAt),
    }));
  }
}
