import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import { ApiErrors, KitErrors } from '@gov/service-kit';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { SupervisionErrors } from '../errors';
import { TalliesService } from './tallies.service';

@ApiTags('supervision')
@Controller('tallies')
export class TalliesController {
  constructor(private readonly tallies: TalliesService) {}

  @Get(':year')
  @Authenticated(Role.Supervisor, Role.Sysadmin, Role.Leader)
  @ApiOperation({ summary: "A year's red tallies per person, section and department, and the flags they caused (seed 001 text 3 art. 22)" })
  @ApiParam({ name: 'year', example: 2026 })
  @ApiErrors(SupervisionErrors, 'BadCalendarQuery')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  get(@Param('year') raw: string, @CurrentPrincipal() principal: Principal) {
    if (!/^\d{4}$/.test(raw)) throw SupervisionErrors.error('BadCalendarQuery', 'year: must be a year such as 2026', { field: 'year' });
    return this.tallies.tally(Number(raw), OrgScope.visibleOrgs(principal));
  }
}
