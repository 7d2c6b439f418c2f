import { Authenticated, CurrentPrincipal, type Principal, Role } from '@gov/auth';
import { ApiErrors, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IntakeErrors } from '../errors';
import { AcceptApplicationUseCase } from './accept-application.use-case';
import { ApplicationQueries } from './application-queries';
import { type ApplicationRef, ApplicationRefPipe } from './application-ref';
import { ApplicationDetailDto, ApplicationPageDto } from './dtos/application-view.dto';
import { FormBoundsInterceptor } from './dtos/form-bounds.interceptor';
import { ListApplicationsQuery } from './dtos/list-applications.query';
import { ApplicationAcceptedDto, SubmitApplicationDto } from './dtos/submit-application.dto';

@ApiTags('applications')
@Controller('applications')
export class ApplicationsController {
  constructor(
    private readonly accept: AcceptApplicationUseCase,
    private readonly queries: ApplicationQueries,
  ) {}

  @Authenticated(Role.Applicant, Role.WindowClerk)
  @Post()
  @UseInterceptors(FormBoundsInterceptor)
  @HttpCode(201)
  @ApiOperation({ summary: 'Submit an application; it is accepted (受理) and given a case number' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per application; a retry with the same key returns the same case (Idempotent-Replayed: true)' })
  @ApiCreatedResponse({ type: ApplicationAcceptedDto })
  @ApiErrors(
    IntakeErrors,
    'ValidationFailed',
    'MalformedBody',
    'NestingTooDeep',
    'InvalidText',
    'BodyTooLarge',
    'UnsupportedEncoding',
    'UnsupportedMediaType',
    'InvalidResidentId',
    'InvalidCreditCode',
    'IdempotencyKeyMissing',
    'IdempotencyKeyInvalid',
    'MissingToken',
    'InvalidToken',
    'InsufficientRole',
    'NotOwnApplication',
    'OutsideOrganisation',
    'IdempotencyKeyReused',
    'UnknownMatter',
  )
  async submit(
    @Body() body: SubmitApplicationDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ApplicationAcceptedDto> {
    const { result, replayed } = await this.accept.execute(body, requireIdempotencyKey(idempotencyKey), principal);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Authenticated()
  @Get()
  @ApiOperation({ summary: 'Applications the caller may see, newest first: an applicant their own, an officer those of their organisations' })
  @ApiOkResponse({ type: ApplicationPageDto })
  @ApiErrors(IntakeErrors, 'ValidationFailed', 'InvalidText', 'InvalidCursor', 'MissingToken', 'InvalidToken')
  list(@Query() query: ListApplicationsQuery, @CurrentPrincipal() principal: Principal): Promise<ApplicationPageDto> {
    return this.queries.list(query, principal);
  }

  @Authenticated()
  @Get(':id')
  @ApiOperation({ summary: 'Progress of an application, by id or case number: the applicant sees their own, officers those of their organisations' })
  @ApiParam({ name: 'id', description: 'Application id (UUID) or case number, e.g. 449900-20261122-000001' })
  @ApiOkResponse({ type: ApplicationDetailDto })
  @ApiErrors(IntakeErrors, 'InvalidApplicationRef', 'InvalidText', 'MissingToken', 'InvalidToken', 'NotOwnApplication', 'OutsideOrganisation', 'ApplicationNotFound')
  get(@Param('id', new ApplicationRefPipe()) ref: ApplicationRef, @CurrentPrincipal() principal: Principal): Promise<ApplicationDetailDto> {
    return this.queries.get(ref, principal);
  }
}
