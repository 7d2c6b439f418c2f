import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import { AppError, requireIdempotencyKey } from '@gov/service-kit';
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

  @Authenticated(Role.Applicant, Role.WindowClerk)
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Submit an application; it is accepted (受理) and given a case number' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per application; a retry with the same key returns the same case' })
  @ApiResponse({ status: 201, type: ApplicationAcceptedDto })
  async submit(
    @Body() body: SubmitApplicationDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ApplicationAcceptedDto> {
    const key = requireIdempotencyKey(idempotencyKey);
    const { result, replayed } = await this.accept.execute(body, key, principal);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Authenticated()
  @Get(':caseNumber')
  @ApiOperation({ summary: 'Progress of an application: the applicant sees their own, officers those of their organisations' })
  async get(
    @Param('caseNumber') caseNumber: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ caseNumber: string; status: string; matterCode: string; acceptedAt: string }> {
    const app = await this.applications.findByCaseNumber(caseNumber);
    if (!app) throw AppError.notFound('ApplicationNotFound', `No application with case number ${caseNumber}.`);
    OrgScope.assertCanActOn(principal, { orgCode: app.departmentCode, applicantId: app.applicantId });
    return { caseNumber: app.caseNumber, status: app.status, matterCode: app.matterCode, acceptedAt: app.acceptedAt.toISOString() };
  }
}
