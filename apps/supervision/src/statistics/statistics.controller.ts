import { Authenticated, CurrentPrincipal, type Principal, Role } from '@gov/auth';
import { ApiErrors, KitErrors } from '@gov/service-kit';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { SupervisionErrors } from '../errors';
import { DIMENSIONS } from './dimensions';
import { monthlyReportPdf } from './monthly-report';
import { PERIODS } from './periods';
import { type StatisticsLine, toCsv, toXlsx } from './statistics-export';
import { type HorizontalParams, HorizontalQuery, MonthlyReportQuery, type MonthlyReportParams, type VerticalParams, VerticalQuery } from './statistics.queries';
import { StatisticsService } from './statistics.service';
import { ZodQueryPipe } from './zod-query.pipe';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('statistics')
@Controller('statistics')
@Authenticated(Role.Supervisor, Role.Sysadmin, Role.Leader)
export class StatisticsController {
  constructor(private readonly stats: StatisticsService) {}

  @Get('horizontal')
  @ApiOperation({ summary: '横向比较: every department (section, officer, region) in one period, with its figures; ?format=csv|xlsx exports' })
  @ApiQuery({ name: 'dimension', required: false, enum: DIMENSIONS })
  @ApiQuery({ name: 'period', enum: PERIODS })
  @ApiQuery({ name: 'key', description: 'The period: 2026-11-22, 2026-11, 2026-Q4 or 2026' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx'] })
  @ApiProduces('application/json', 'text/csv', XLSX)
  @ApiErrors(SupervisionErrors, 'BadStatisticsQuery')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  async horizontal(@Query(new ZodQueryPipe(HorizontalQuery, 'BadStatisticsQuery')) q: HorizontalParams, @CurrentPrincipal() principal: Principal): Promise<StatisticsLine[] | StreamableFile> {
    return render(await this.stats.horizontal(q, principal), q.format, `statistics-${q.dimension}-${q.key}`);
  }

  @Get('vertical')
  @ApiOperation({ summary: '纵向比较: one department (section, officer, region) over a range of periods; ?format=csv|xlsx exports' })
  @ApiQuery({ name: 'dimension', required: false, enum: DIMENSIONS })
  @ApiQuery({ name: 'key', description: 'The department or section code, officer id, or division code' })
  @ApiQuery({ name: 'period', enum: PERIODS })
  @ApiQuery({ name: 'from', description: 'First period, inclusive' })
  @ApiQuery({ name: 'to', description: 'Last period, inclusive' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx'] })
  @ApiProduces('application/json', 'text/csv', XLSX)
  @ApiErrors(SupervisionErrors, 'BadStatisticsQuery')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  async vertical(@Query(new ZodQueryPipe(VerticalQuery, 'BadStatisticsQuery')) q: VerticalParams, @CurrentPrincipal() principal: Principal): Promise<StatisticsLine[] | StreamableFile> {
    return render(await this.stats.vertical(q, principal), q.format, `statistics-${q.dimension}-${q.key}-${q.from}-${q.to}`);
  }

  @Get('reports/monthly')
  @ApiOperation({ summary: 'The monthly report (月度绩效报告) as PDF: figures per department with bar charts' })
  @ApiQuery({ name: 'month', example: '2026-11' })
  @ApiQuery({ name: 'dimension', required: false, enum: DIMENSIONS })
  @ApiProduces('application/pdf')
  @ApiErrors(SupervisionErrors, 'BadStatisticsQuery')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  async monthly(@Query(new ZodQueryPipe(MonthlyReportQuery, 'BadStatisticsQuery')) q: MonthlyReportParams, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const lines = await this.stats.horizontal({ dimension: q.dimension, period: 'month', key: q.month, format: 'json' }, principal);
    const pdf = await monthlyReportPdf({ month: q.month, title: `电子监察月度绩效报告 ${q.month}`, lines, generatedAt: new Date() });
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `attachment; filename="monthly-report-${q.month}.pdf"` });
  }
}

async function render(lines: StatisticsLine[], format: 'json' | 'csv' | 'xlsx', name: string): Promise<StatisticsLine[] | StreamableFile> {
  switch (format) {
    case 'json':
      return lines;
    case 'csv':
      return new StreamableFile(toCsv(lines), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${name}.csv"` });
    case 'xlsx':
      return new StreamableFile(await toXlsx(lines, name), { type: XLSX, disposition: `attachment; filename="${name}.xlsx"` });
  }
}
