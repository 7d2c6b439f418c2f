import { Authenticated, CurrentPrincipal, type Principal, Public, RateLimit, Role } from '@gov/auth';
import { ApiErrors, ParseUuidParam, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Ip, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IntakeErrors } from '../errors';
import { MATTER_CODE_RULE, MatterCodePipe } from '../matters/matter-code';
import { ConsultationsService } from './consultations.service';
import { AnonymousAskDto, AnswerDto, AskDto, AskedDto, ConsultationDto, ConsultationPageDto, FaqPageDto, FaqQuery, MineQuery, PublicationDto, QueueItemDto, QueuePageDto, QueueQuery } from './dtos';
import { IntakeRatePolicy } from './rate-limits';

const BODY = ['ValidationFailed', 'MalformedBody', 'NestingTooDeep', 'InvalidText', 'BodyTooLarge', 'UnsupportedEncoding', 'UnsupportedMediaType'] as const;
const KEYS = ['IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused'] as const;
const TOKEN = ['MissingToken', 'InvalidToken', 'InsufficientRole'] as const;
const KEY_HEADER = { name: 'Idempotency-Key', required: true, description: 'Unique per request; a retry with the same key returns the same answer (Idempotent-Replayed: true)' };
/** Who answers for the matter's department (an officer of that organisation). */
const ANSWERING = [Role.WindowClerk, Role.Handler, Role.SectionChief] as const;

function replay<T>(res: Response, r: { result: T; replayed: boolean }): T {
  if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return r.result;
}

/** Consultations (咨询) of signed-in applicants, and the departments' queue and answers. */
@ApiTags('consultations')
@Controller('consultations')
export class ConsultationsController {
  constructor(private readonly consultations: ConsultationsService) {}

  @Authenticated(Role.Applicant)
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Ask the matter's department a question (optionally about one of your own applications); the answer is due within the bureau's working days" })
  @ApiHeader(KEY_HEADER)
  @ApiCreatedResponse({ type: AskedDto })
  @ApiErrors(IntakeErrors, ...BODY, ...KEYS, ...TOKEN, 'MatterNotFound', 'ApplicationNotFound')
  async ask(@Body() body: AskDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() principal: Principal): Promise<AskedDto> {
    return replay(res, await this.consultations.ask(body, requireIdempotencyKey(key), principal));
  }

  @Authenticated(Role.Applicant)
  @Get('mine')
  @ApiOperation({ summary: 'Your questions and their answers, newest first' })
  @ApiOkResponse({ type: ConsultationPageDto })
  @ApiErrors(IntakeErrors, 'ValidationFailed', 'InvalidText', ...TOKEN)
  mine(@Query() query: MineQuery, @CurrentPrincipal() principal: Principal): Promise<ConsultationPageDto> {
    return this.consultations.mine(principal, query);
  }

  @Authenticated(...ANSWERING)
  @Get('queue')
  @ApiOperation({ summary: "Your departments' questions, oldest first: unanswered (default), overdue, answered or all" })
  @ApiOkResponse({ type: QueuePageDto })
  @ApiErrors(IntakeErrors, 'ValidationFailed', 'InvalidText', ...TOKEN)
  queue(@Query() query: QueueQuery, @CurrentPrincipal() principal: Principal): Promise<QueuePageDto> {
    return this.consultations.queue(principal, query);
  }

  @Authenticated(Role.Applicant, ...ANSWERING)
  @Get(':id')
  @ApiOperation({ summary: "One consultation: the asker's own, or one of the officer's departments'" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: QueueItemDto })
  @ApiErrors(IntakeErrors, 'ValidationFailed', 'InvalidText', ...TOKEN, 'OutsideOrganisation', 'ConsultationNotFound')
  one(@Param('id', ParseUuidParam) id: string, @CurrentPrincipal() principal: Principal): Promise<ConsultationDto | QueueItemDto> {
    return this.consultations.one(id, principal);
  }

  @Authenticated(...ANSWERING)
  @Post(':id/answer')
  @HttpCode(200)
  @ApiOperation({ summary: "Answer a question about one of your departments' matters (once); public: true puts it in the matter's FAQ" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: QueueItemDto })
  @ApiErrors(IntakeErrors, ...BODY, ...KEYS, ...TOKEN, 'OutsideOrganisation', 'ConsultationNotFound', 'ConsultationAlreadyAnswered')
  async answer(@Param('id', ParseUuidParam) id: string, @Body() body: AnswerDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() principal: Principal): Promise<QueueItemDto> {
    return replay(res, await this.consultations.answer(id, body, requireIdempotencyKey(key), principal));
  }

  @Authenticated(...ANSWERING)
  @Put(':id/publication')
  @ApiOperation({ summary: "Show or hide an answered question in the matter's public FAQ" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: QueueItemDto })
  @ApiErrors(IntakeErrors, ...BODY, ...TOKEN, 'OutsideOrganisation', 'ConsultationNotFound', 'ConsultationNotAnswered')
  publish(@Param('id', ParseUuidParam) id: string, @Body() body: PublicationDto, @CurrentPrincipal() principal: Principal): Promise<QueueItemDto> {
    return this.consultations.publish(id, body.public, principal);
  }
}

/** The public side, on the guide's routes: anonymous questions (rate-limited per client, a contact required) and the FAQ. */
@ApiTags('guide')
@Controller('guide')
export class PublicConsultationsController {
  constructor(private readonly consultations: ConsultationsService) {}

  @Public()
  @RateLimit(IntakeRatePolicy.ConsultationAsk)
  @Post('matters/:code/consultations')
  @HttpCode(201)
  @ApiOperation({ summary: "Ask about a matter without signing in: a contact is required; keep the access code to read the answer (rate-limited per client address)" })
  @ApiParam({ name: 'code', description: MATTER_CODE_RULE })
  @ApiHeader(KEY_HEADER)
  @ApiCreatedResponse({ type: AskedDto })
  @ApiErrors(IntakeErrors, ...BODY, ...KEYS, 'InvalidMatterCode', 'MatterNotFound', 'TooManyRequests')
  async ask(@Param('code', new MatterCodePipe()) code: string, @Body() body: AnonymousAskDto, @Headers('idempotency-key') key: string | undefined, @Ip() ip: string, @Res({ passthrough: true }) res: Response): Promise<AskedDto> {
    return replay(res, await this.consultations.askAnonymously(code, body, requireIdempotencyKey(key), ip));
  }

  @Public()
  @Get('matters/:code/faq')
  @ApiOperation({ summary: "A matter's public FAQ (常见问题): answered questions its department made public, newest first" })
  @ApiParam({ name: 'code', description: MATTER_CODE_RULE })
  @ApiOkResponse({ type: FaqPageDto })
  @ApiErrors(IntakeErrors, 'ValidationFailed', 'InvalidText', 'InvalidMatterCode', 'MatterNotFound')
  faq(@Param('code', new MatterCodePipe()) code: string, @Query() query: FaqQuery): Promise<FaqPageDto> {
    return this.consultations.faq(code, query);
  }

  @Public()
  @Get('consultations/:id')
  @ApiOperation({ summary: 'An anonymous question and its answer, with the access code given when it was asked' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'Consultation-Access-Code', required: true, description: 'The access code the question was answered with when asked' })
  @ApiOkResponse({ type: ConsultationDto })
  @ApiErrors(IntakeErrors, 'ValidationFailed', 'InvalidText', 'ConsultationNotFound')
  anonymous(@Param('id', ParseUuidParam) id: string, @Headers('consultation-access-code') code: string | undefined): Promise<ConsultationDto> {
    return this.consultations.anonymous(id, code);
  }
}
