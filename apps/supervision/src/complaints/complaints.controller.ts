import { Authenticated, CurrentPrincipal, type Principal, Public, RATE_LIMIT_STORE, type RateLimitStore, Role, TokenVerifier, bearerToken } from '@gov/auth';
import { ApiErrors, KitErrors, ParseUuidParam, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Inject, Optional, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { SUPERVISION_CONFIG, type SupervisionConfig } from '../config';
import { SupervisionErrors } from '../errors';
import { ZodQueryPipe } from '../statistics/zod-query.pipe';
import { TRACKING_CODE } from './complaint-flow';
import { COMPLAINT_STAGES } from './complaint.entity';
import { type ComplaintDetail, type ComplaintProgress, ComplaintsService, type FiledComplaint } from './complaints.service';
import { AssignComplaintDto, ComplaintNoteDto, ConcludeComplaintDto, FileComplaintDto } from './dtos/complaint.dto';

const ListQuery = z
  .object({
    stage: z.enum(COMPLAINT_STAGES, { message: `must be one of ${COMPLAINT_STAGES.join(', ')}` }).optional(),
    limit: z.string().regex(/^\d{1,3}$/, 'must be a whole number from 1 to 500').transform(Number).pipe(z.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500')).optional(),
  })
  .strict();
type ListParams = z.infer<typeof ListQuery>;

@ApiTags('complaints')
@Controller('complaints')
export class ComplaintsController {
  constructor(
    private readonly complaints: ComplaintsService,
    private readonly tokens: TokenVerifier,
    @Inject(SUPERVISION_CONFIG) private readonly config: SupervisionConfig,
    @Optional() @Inject(RATE_LIMIT_STORE) private readonly limiter?: RateLimitStore,
  ) {}

  @Public()
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: '投诉举报: anyone files a complaint about a case, an officer or a department (with an applicant token, or anonymously with a contact); answers the tracking code' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per complaint; a retry with the same key returns the same tracking code' })
  @ApiErrors(SupervisionErrors, 'ComplaintSubjectInvalid')
  @ApiErrors(KitErrors, 'ValidationFailed', 'MalformedBody', 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused', 'TooManyRequests', 'Unauthenticated')
  async file(@Body() dto: FileComplaintDto, @Headers('idempotency-key') key: string | undefined, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<FiledComplaint> {
    const idempotencyKey = requireIdempotencyKey(key);
    // A token, when sent, must be valid: a complainant who signed in is never silently filed as anonymous.
    const principal = req.headers.authorization ? await this.tokens.verify(bearerToken(req)) : undefined;
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    await this.limit(client, res);
    const { result, replayed } = await this.complaints.file(dto, { principal, client }, idempotencyKey);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Public()
  @Get('track/:code')
  @ApiOperation({ summary: "The complainant follows a complaint's progress by its tracking code (no personal data, no office notes)" })
  @ApiErrors(SupervisionErrors, 'TrackingCodeUnknown')
  track(@Param('code') code: string): Promise<ComplaintProgress> {
    if (typeof code !== 'string' || !TRACKING_CODE.test(code)) {
      throw SupervisionErrors.error('TrackingCodeUnknown', 'A tracking code looks like TS-7K3M-Q9PX-2HRT (letters and digits, no 0/O/1/I/L).', { field: 'code' });
    }
    return this.complaints.track(code);
  }

  @Authenticated(Role.Supervisor, Role.Sysadmin)
  @Get()
  @ApiOperation({ summary: "Complaints within the caller's jurisdiction, newest first" })
  @ApiQuery({ name: 'stage', required: false, enum: COMPLAINT_STAGES })
  @ApiQuery({ name: 'limit', required: false })
  @ApiErrors(SupervisionErrors, 'BadStatisticsQuery')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  list(@Query(new ZodQueryPipe(ListQuery, 'BadStatisticsQuery')) q: ListParams, @CurrentPrincipal() principal: Principal): Promise<ComplaintDetail[]> {
    return this.complaints.list(principal, q.stage, q.limit ?? 100);
  }

  @Authenticated(Role.Supervisor, Role.Sysadmin)
  @Get(':id')
  @ApiOperation({ summary: 'One complaint with its stages' })
  @ApiErrors(SupervisionErrors, 'ComplaintNotFound')
  @ApiErrors(KitErrors, 'InvalidParameter', 'Unauthenticated', 'Forbidden')
  get(@Param('id', ParseUuidParam) id: string, @CurrentPrincipal() principal: Principal): Promise<ComplaintDetail> {
    return this.complaints.detail(id, principal);
  }

  @Authenticated(Role.Supervisor)
  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Register → assign: an investigator takes the complaint' })
  @ApiErrors(SupervisionErrors, 'ComplaintNotFound', 'ComplaintStageConflict')
  @ApiErrors(KitErrors, 'ValidationFailed', 'InvalidParameter', 'Unauthenticated', 'Forbidden')
  assign(@Param('id', ParseUuidParam) id: string, @Body() dto: AssignComplaintDto, @CurrentPrincipal() principal: Principal): Promise<ComplaintDetail> {
    return this.complaints.act(id, 'assign', principal, { assignee: dto.assignee });
  }

  @Authenticated(Role.Supervisor)
  @Post(':id/investigate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign → investigate: the investigation starts (with its plan)' })
  @ApiErrors(SupervisionErrors, 'ComplaintNotFound', 'ComplaintStageConflict')
  @ApiErrors(KitErrors, 'ValidationFailed', 'InvalidParameter', 'Unauthenticated', 'Forbidden')
  investigate(@Param('id', ParseUuidParam) id: string, @Body() dto: ComplaintNoteDto, @CurrentPrincipal() principal: Principal): Promise<ComplaintDetail> {
    return this.complaints.act(id, 'investigate', principal, { note: dto.note });
  }

  @Authenticated(Role.Supervisor)
  @Post(':id/conclude')
  @HttpCode(200)
  @ApiOperation({ summary: 'Investigate → conclude: the finding, substantiated or not' })
  @ApiErrors(SupervisionErrors, 'ComplaintNotFound', 'ComplaintStageConflict')
  @ApiErrors(KitErrors, 'ValidationFailed', 'InvalidParameter', 'Unauthenticated', 'Forbidden')
  conclude(@Param('id', ParseUuidParam) id: string, @Body() dto: ConcludeComplaintDto, @CurrentPrincipal() principal: Principal): Promise<ComplaintDetail> {
    return this.complaints.act(id, 'conclude', principal, { conclusion: dto.conclusion, substantiated: dto.substantiated });
  }

  @Authenticated(Role.Supervisor)
  @Post(':id/reply')
  @HttpCode(200)
  @ApiOperation({ summary: 'Conclude → reply: the answer to the complainant (shown when they follow the code)' })
  @ApiErrors(SupervisionErrors, 'ComplaintNotFound', 'ComplaintStageConflict')
  @ApiErrors(KitErrors, 'ValidationFailed', 'InvalidParameter', 'Unauthenticated', 'Forbidden')
  reply(@Param('id', ParseUuidParam) id: string, @Body() dto: ComplaintNoteDto, @CurrentPrincipal() principal: Principal): Promise<ComplaintDetail> {
    return this.complaints.act(id, 'reply', principal, { note: dto.note });
  }

  /** Filing is open to anyone: a budget per client address and hour keeps it from being flooded. */
  private async limit(client: string, res: Response): Promise<void> {
    if (!this.limiter) return;
    const hit = await this.limiter.hit(`complaints.file:client:${client}:3600`, 3600);
    const max = this.config.COMPLAINTS_PER_HOUR_PER_IP;
    if (hit.hits <= max) return;
    const retryAfter = Math.max(1, Math.ceil((hit.resetAt.getTime() - Date.now()) / 1000));
    res.setHeader('Retry-After', String(retryAfter));
    throw KitErrors.error('TooManyRequests', `Too many complaints from your address (${max} per hour); retry after ${retryAfter} s, at ${hit.resetAt.toISOString()}.`, { retryAfterSeconds: retryAfter, limit: max, windowSeconds: 3600 });
  }
}
