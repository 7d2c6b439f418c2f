import { Authenticated, Role } from '@gov/auth';
import { ApiErrors, KitErrors, Public } from '@gov/service-kit';
import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsArray, IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { ClocksService } from '../cases/clocks.service';
import { SupervisionErrors } from '../errors';
import { CalendarProvider } from './calendar.provider';
import { CalendarRepository } from './calendar.repository';
import { ScheduleError, parseIcsSchedule, parseJsonSchedule } from './schedule';

export class YearScheduleDto {
  @ApiProperty({ required: false, example: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }, { date: '2027-02-07', kind: 'workday', name: '春节调休上班' }] })
  @IsOptional()
  @IsArray({ message: 'days must be a list of { date, kind, name }' })
  days?: unknown[];

  @ApiProperty({ required: false, description: 'The schedule as an ICS (iCalendar) file, instead of days' })
  @IsOptional()
  @IsString({ message: 'ics must be the text of an .ics file' })
  @MaxLength(200_000, { message: 'ics must be at most 200,000 characters' })
  ics?: string;
}

function parseYear(raw: string): number {
  if (!/^\d{4}$/.test(raw) || Number(raw) < 2000 || Number(raw) > 2100) throw SupervisionErrors.error('BadSchedule', 'year: must be a year from 2000 to 2100', { field: 'year' });
  return Number(raw);
}

function parseInstant(field: string, raw: unknown): Date {
  const d = typeof raw === 'string' && raw.length <= 40 ? new Date(raw) : new Date(NaN);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(String(raw))) throw SupervisionErrors.error('BadCalendarQuery', `${field}: must be an ISO 8601 date or time, e.g. 2026-02-13T09:00:00+08:00`, { field });
  return d;
}

/** Calendar administration (the year's official holiday schedule) and the public deadline calculator. */
@ApiTags('calendar')
@Controller('calendar')
export class CalendarController {
  constructor(
    private readonly repo: CalendarRepository,
    private readonly provider: CalendarProvider,
    private readonly clocks: ClocksService,
    private readonly ds: DataSource,
  ) {}

  @Put('years/:year')
  @Authenticated(Role.Sysadmin, Role.Supervisor)
  @ApiOperation({ summary: "Enter or import a year's official holiday schedule (JSON days or an ICS file); provisional deadlines are computed again" })
  @ApiErrors(SupervisionErrors, 'BadSchedule')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden', 'ValidationFailed')
  async putYear(@Param('year') rawYear: string, @Body() body: YearScheduleDto) {
    const year = parseYear(rawYear);
    if ((body.days === undefined) === (body.ics === undefined)) throw SupervisionErrors.error('BadSchedule', 'body: give either days (JSON) or ics (an .ics file), not both or neither', { field: 'days' });
    let days;
    try {
      days = body.days !== undefined ? parseJsonSchedule(year, body.days) : parseIcsSchedule(year, body.ics!);
    } catch (e) {
      if (e instanceof ScheduleError) throw SupervisionErrors.error('BadSchedule', e.message, { field: e.field });
      throw e;
    }
    await this.ds.transaction((m) => this.repo.replaceYear(m, year, days));
    this.provider.invalidate();
    const moved = await this.ds.transaction((m) => this.clocks.recomputeProvisional(m));
    return { year, days: days.length, recomputed: moved };
  }

  @Get('years/:year')
  @Public()
  @ApiOperation({ summary: "A year's entered schedule and whether the year's schedule is known (else deadlines crossing it are provisional)" })
  @ApiErrors(SupervisionErrors, 'BadSchedule')
  async getYear(@Param('year') rawYear: string) {
    const year = parseYear(rawYear);
    const calendar = await this.provider.get();
    return { year, known: calendar.coversYear(year), entered: await this.repo.forYear(year) };
  }

  @Get('deadline')
  @Public()
  @ApiOperation({ summary: 'The deadline of a limit of `days` working days starting at `start` (the start day does not count)' })
  @ApiQuery({ name: 'start', example: '2026-02-13T09:00:00+08:00' })
  @ApiQuery({ name: 'days', example: 5 })
  @ApiErrors(SupervisionErrors, 'BadCalendarQuery')
  async deadline(@Query('start') start: unknown, @Query('days') days: unknown) {
    const from = parseInstant('start', start);
    if (typeof days !== 'string' || !/^\d{1,3}$/.test(days)) throw SupervisionErrors.error('BadCalendarQuery', 'days: must be a whole number of working days from 0 to 999', { field: 'days' });
    const d = (await this.provider.get()).deadlineWithCoverage(from, Number(days));
    return { start: from.toISOString(), days: Number(days), deadline: d.deadline.toISOString(), provisional: d.provisional };
  }

  @Get('working-days')
  @Public()
  @ApiOperation({ summary: 'Working days after the day of `from` up to and including the day of `to`' })
  @ApiQuery({ name: 'from', example: '2026-02-13' })
  @ApiQuery({ name: 'to', example: '2026-02-27' })
  @ApiErrors(SupervisionErrors, 'BadCalendarQuery')
  async workingDays(@Query('from') from: unknown, @Query('to') to: unknown) {
    const a = parseInstant('from', from);
    const b = parseInstant('to', to);
    if (b.getTime() - a.getTime() > 10 * 366 * 86_400_000) throw SupervisionErrors.error('BadCalendarQuery', 'to: at most ten years after from', { field: 'to' });
    return { from: a.toISOString(), to: b.toISOString(), workingDays: (await this.provider.get()).workingDaysBetween(a, b) };
  }
}
