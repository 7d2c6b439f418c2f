import { AppError, Public, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AcceptApplicationUseCase } from './accept-application.use-case';
import { ApplicationsRepository } from './applications.repository';
import { ApplicationAcceptedDto, SubmitApplicationDto } from './dtos/submit-application.dto';

@ApiTags('applications')
@Controller('applications')
export class ApplicationsController {
  constructor(
    private readonly accept: AcceptApplicationUseCase,
    private readonly applications: ApplicationsRepository,
  ) {}

  // TODO(identity issue): guarded by the auth kit once identity lands; until then the skeleton is open.
  @Public()
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Submit an application; it is accepted (受理) and given a case number' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per application; a retry with the same key returns the same case' })
  @ApiResponse({ status: 201, type: ApplicationAcceptedDto })
  async submit(
    @Body() body: SubmitApplicationDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ApplicationAcceptedDto> {
    const key = requireIdempotencyKey(idempotencyKey);
    const { result, replayed } = await this.accept.execute(body, key);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Public()
  @Get(':caseNumber')
  @ApiOperation({ summary: 'Progress of an application by case number' })
  async get(@Param('caseNumber') caseNumber: string): Promise<{ caseNumber: string; status: string; matterCode: string; acceptedAt: string }> {
    const app = await this.applications.findByCaseNumber(caseNumber);
    if (!app) throw AppError.notFound('ApplicationNotFound', `No application with case number ${caseNumber}.`);
    return { caseNumber: app.caseNumber, status: app.status, matterCode: app.matterCode, acceptedAt: app.acceptedAt.toISOString() };
  }
}
