import { Authenticated, CurrentPrincipal, type Principal } from '@gov/auth';
import { ApiErrors } from '@gov/service-kit';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type ApplicationRef, ApplicationRefPipe } from '../applications/application-ref';
import { IntakeErrors } from '../errors';
import { ProgressDto } from './progress.dto';
import { ProgressQueries } from './progress.queries';

@ApiTags('applications')
@Controller('applications')
export class ProgressController {
  constructor(private readonly queries: ProgressQueries) {}

  @Authenticated()
  @Get(':id/progress')
  @ApiOperation({ summary: 'Progress (办件进度): current step and department, working days used and left, suspensions, documents issued, the result' })
  @ApiParam({ name: 'id', description: 'Application id (UUID) or case number' })
  @ApiOkResponse({ type: ProgressDto })
  @ApiErrors(IntakeErrors, 'InvalidApplicationRef', 'InvalidText', 'MissingToken', 'InvalidToken', 'NotOwnApplication', 'OutsideOrganisation', 'ApplicationNotFound')
  progress(@Param('id', new ApplicationRefPipe()) ref: ApplicationRef, @CurrentPrincipal() principal: Principal): Promise<ProgressDto> {
    return this.queries.get(ref, principal);
  }

  @Authenticated()
  @Get(':id/history')
  @ApiOperation({ summary: 'The acceptance history: every step, who (null: automatic) and when, with the data of the notice it gave' })
  @ApiParam({ name: 'id', description: 'Application id (UUID) or case number' })
  @ApiErrors(IntakeErrors, 'InvalidApplicationRef', 'InvalidText', 'MissingToken', 'InvalidToken', 'NotOwnApplication', 'OutsideOrganisation', 'ApplicationNotFound')
  history(@Param('id', new ApplicationRefPipe()) ref: ApplicationRef, @CurrentPrincipal() principal: Principal) {
    return this.queries.history(ref, principal);
  }
}
