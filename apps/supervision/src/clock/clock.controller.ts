import { Authenticated, Role } from '@gov/auth';
import { ApiErrors, KitErrors } from '@gov/service-kit';
import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { SUPERVISION_CONFIG, type SupervisionConfig } from '../config';
import { SupervisionErrors } from '../errors';
import { AdjustableClock, Clock } from './clock';

export class AdvanceClockDto {
  @ApiProperty({ example: 86_400_000, description: 'Milliseconds to move the clock forward (at most 400 days)' })
  @IsInt({ message: 'ms must be a whole number of milliseconds' })
  @Min(0, { message: 'the clock only moves forward: ms must be >= 0' })
  @Max(400 * 86_400_000)
  ms!: number;
}

// Moving the clock also needs CLOCK_CONTROL_ENABLED=true, which production refuses at start-up.
@ApiTags('admin')
@Authenticated(Role.Sysadmin)
@Controller('admin/clock')
export class ClockController {
  constructor(
    private readonly clock: Clock,
    @Inject(SUPERVISION_CONFIG) private readonly config: SupervisionConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The supervision clock' })
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  get(): { now: string; offsetMs: number } {
    return { now: this.clock.now().toISOString(), offsetMs: this.clock instanceof AdjustableClock ? this.clock.offset : 0 };
  }

  @Post('advance')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the clock forward (test and demo environments only)' })
  @ApiErrors(SupervisionErrors, 'ClockControlDisabled')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden', 'ValidationFailed')
  advance(@Body() body: AdvanceClockDto): { now: string; offsetMs: number } {
    if (!this.config.CLOCK_CONTROL_ENABLED || !(this.clock instanceof AdjustableClock)) {
      throw SupervisionErrors.error('ClockControlDisabled', 'Clock control is disabled on this deployment (CLOCK_CONTROL_ENABLED=false).');
    }
    this.clock.advance(body.ms);
    return this.get();
  }
}
