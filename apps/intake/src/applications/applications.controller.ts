import { Authenticated, CurrentPrincipal, type Principal, Role } from '@gov/auth';
import { ApiErrors, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IntakeErrors } from '../errors';
import { ApplicationQueries } from './application-queries';
import { type ApplicationRef, ApplicationRefPipe } from './application-ref';
import { ApplicationDetailDto, ApplicationPageDto } from './dtos/application-view.dto';
import { FormBoundsInterceptor } from './dtos/form-bounds.interceptor';
import { ListApplicationsQuery } from './dtos/list-applications.query';
import { ApplicationReceivedDto, SubmitApplicationDto } from './dtos/submit-application.dto';
import { ReceiveApplicationUseCase } from './receive-application.use-case';

@ApiTags('applications')
@Controller('applications')
export class ApplicationsController {
  constructor(
    private readonly receive: ReceiveApplicationUseCase,
    private readonly queries: ApplicationQueries,
  ) {}

  @Authenticated(Role.Applicant, Role.WindowClerk)
  @Post()
  @UseInterceptors(FormBoundsInterceptor)
  @HttpCode(201)
  @ApiOperation({
    summary: 'Submit an application: online by the applicant (identity from the token), or at the window by a clerk on the applicant\'s behalf. It is received (接件) with a case number and a receipt; the window decides on acceptance within 5 working days, or it is deemed accepted',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per application; a retry with the same key returns the same case (Idempotent-Replayed: true)' })
  @ApiCreatedResponse({ type: ApplicationReceivedDto })
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
    'NotOfferedOnline',
  )
  async submit(
    @Body() body: SubmitApplicationDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ApplicationReceivedDto> {
    const { result, replayed } = await this.receive.execute(body, requireIdempotencyKey(idempotencyKey), principal);
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
