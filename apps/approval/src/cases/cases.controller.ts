import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import { ApiErrors, KitErrors, ParseCaseNumberParam } from '@gov/service-kit';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApprovalErrors } from '../errors';
import { OFFICERS } from '../worklist/officers';
import { OpinionsRepository, type StoredOpinion } from '../worklist/opinions.repository';
import { caseScope } from './case-scope';
import { CasesRepository } from './cases.repository';

@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesRepository,
    private readonly opinions: OpinionsRepository,
  ) {}

  @Get(':caseNumber')
  @Authenticated(...OFFICERS, Role.Supervisor)
  @ApiOperation({ summary: 'A case with its opinions (officers of the handling organisation or, for a 上报件, of the higher-level department; supervisors)' })
  @ApiParam({ name: 'caseNumber', example: '449900-20261122-000001' })
  @ApiErrors(ApprovalErrors, 'CaseNotFound')
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText')
  async caseDetail(
    @Param('caseNumber', ParseCaseNumberParam) caseNumber: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ caseNumber: string; status: string; processInstanceId: string | null; opinions: StoredOpinion[] }> {
    const c = await this.cases.find(caseNumber);
    if (!c) throw ApprovalErrors.error('CaseNotFound', `No case ${caseNumber}.`);
    OrgScope.assertCanActOn(principal, caseScope(c));
    return { caseNumber, status: c.status, processInstanceId: c.processInstanceId, opinions: await this.opinions.forCase(caseNumber) };
  }
}
