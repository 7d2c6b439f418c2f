import { lightAt } from '@gov/deadlines';
import { AppError, Public } from '@gov/service-kit';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Clock } from '../clock/clock';
import { SUPERVISION_CONFIG, type SupervisionConfig } from '../config';
import { StepsRepository } from '../steps/steps.repository';
import { type AlertRow, AlertsRepository } from './alerts.repository';

// TODO(identity issue): supervisor role once the auth kit lands.
@ApiTags('supervision')
@Public()
@Controller()
export class SupervisionController {
  constructor(
    private readonly steps: StepsRepository,
    private readonly alerts: AlertsRepository,
    private readonly clock: Clock,
    @Inject(SUPERVISION_CONFIG) private readonly config: SupervisionConfig,
  ) {}

  @Get('cases/:caseNumber/steps')
  @ApiOperation({ summary: "A case's steps with deadlines and their light now" })
  async caseSteps(@Param('caseNumber') caseNumber: string) {
    const now = this.clock.now();
    const rows = await this.steps.forCase(caseNumber);
    if (rows.length === 0) throw AppError.notFound('CaseNotSupervised', `No steps recorded for case ${caseNumber} (yet).`);
    return rows.map((s) => ({
      ...s,
      light: s.deadline === null ? 'none' : lightAt(s.closedAt ?? now, s.deadline, this.config.YELLOW_WINDOW_HOURS * 3600 * 1000),
    }));
  }

  @Get('alerts')
  @ApiOperation({ summary: 'The alert ledger, oldest first' })
  @ApiQuery({ name: 'caseNumber', required: false })
  @ApiQuery({ name: 'level', required: false, enum: ['yellow', 'red'] })
  list(@Query('caseNumber') caseNumber?: string, @Query('level') level?: string): Promise<AlertRow[]> {
    if (level !== undefined && level !== 'yellow' && level !== 'red') throw AppError.badRequest('BadLevel', "level must be 'yellow' or 'red'");
    return this.alerts.list({ caseNumber, level });
  }
}
