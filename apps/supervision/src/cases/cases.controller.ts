import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import { ApiErrors, KitErrors, ParseCaseNumberParam } from '@gov/service-kit';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { SupervisionErrors } from '../errors';
import { CasesRepository } from './cases.repository';

@ApiTags('supervision')
@Controller()
export class CasesController {
  constructor(
    private readonly cases: CasesRepository,
    private readonly ds: DataSource,
  ) {}

  @Get('cases/:caseNumber/clock')
  @Authenticated(Role.Supervisor, Role.Sysadmin, Role.Leader, Role.SectionChief, Role.Handler, Role.WindowClerk)
  @ApiOperation({ summary: "A case's clock: statutory and promised deadlines (suspensions excluded) and its suspensions" })
  @ApiParam({ name: 'caseNumber', example: '441200-20261122-000001' })
  @ApiErrors(SupervisionErrors, 'CaseNotSupervised')
  @ApiErrors(KitErrors, 'InvalidParameter', 'Unauthenticated', 'Forbidden')
  async clock(@Param('caseNumber', ParseCaseNumberParam) caseNumber: string, @CurrentPrincipal() principal: Principal) {
    const kase = await this.cases.get(this.ds, caseNumber);
    if (!kase) throw SupervisionErrors.error('CaseNotSupervised', `No acceptance recorded for case ${caseNumber} (yet).`);
    OrgScope.assertCanActOn(principal, { orgCode: kase.departmentCode ?? '' });
    return { ...kase, suspensions: await this.cases.suspensions(this.ds, caseNumber) };
  }
}
