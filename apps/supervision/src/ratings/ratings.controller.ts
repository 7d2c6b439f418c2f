import { Authenticated, CurrentPrincipal, type Principal, Public, Role } from '@gov/auth';
import { ApiErrors, KitErrors, ParseUuidParam, requireIdempotencyKey } from '@gov/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { SupervisionErrors } from '../errors';
import { ZodQueryPipe } from '../statistics/zod-query.pipe';
import { CompleteRectificationDto, RateCaseDto, RateRectificationDto } from './dtos/rating.dto';
import { CURRENT_INDICATOR_SET, GRADES, INDICATOR_SETS, type IndicatorSet } from './indicator-sets';
import { type RatingView, RatingsService, type RectificationView } from './ratings.service';

const RectificationsQuery = z
  .object({
    status: z.enum(['open', 'done', 'rated'], { message: "must be 'open', 'done' or 'rated'" }).optional(),
    limit: z.string().regex(/^\d{1,3}$/, 'must be a whole number from 1 to 500').transform(Number).pipe(z.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500')).optional(),
  })
  .strict();
type RectificationsParams = z.infer<typeof RectificationsQuery>;

@ApiTags('ratings')
@Controller('ratings')
export class RatingsController {
  constructor(private readonly ratings: RatingsService) {}

  @Public()
  @Get('indicator-sets')
  @ApiOperation({ summary: 'The 好差评 indicator sets, by version, with the five grades; `current` is the one to rate on' })
  indicatorSets(): { current: string; grades: typeof GRADES; sets: IndicatorSet[] } {
    return { current: CURRENT_INDICATOR_SET, grades: GRADES, sets: Object.values(INDICATOR_SETS) };
  }

  @Authenticated(Role.Applicant)
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'The applicant rates a decided case (five grades per indicator); a bad overall grade (1-2) opens a rectification' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiErrors(SupervisionErrors, 'CaseNotRateable', 'AlreadyRated', 'IndicatorSetMismatch')
  @ApiErrors(KitErrors, 'ValidationFailed', 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused', 'Unauthenticated', 'Forbidden')
  async rate(@Body() dto: RateCaseDto, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<RatingView> {
    const { result, replayed } = await this.ratings.rate(dto, principal, requireIdempotencyKey(key));
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Authenticated(Role.Supervisor, Role.Sysadmin, Role.Leader, Role.SectionChief, Role.Handler)
  @Get('rectifications')
  @ApiOperation({ summary: "Rectifications of bad ratings within the caller's organisations, soonest deadline first" })
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'done', 'rated'] })
  @ApiQuery({ name: 'limit', required: false })
  @ApiErrors(SupervisionErrors, 'BadStatisticsQuery')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  rectifications(@Query(new ZodQueryPipe(RectificationsQuery, 'BadStatisticsQuery')) q: RectificationsParams, @CurrentPrincipal() principal: Principal): Promise<RectificationView[]> {
    return this.ratings.rectifications(principal, q.status, q.limit ?? 100);
  }

  @Authenticated()
  @Get('rectifications/:id')
  @ApiOperation({ summary: 'One rectification: to its applicant, and to officers of its department' })
  @ApiErrors(SupervisionErrors, 'RectificationNotFound')
  @ApiErrors(KitErrors, 'InvalidParameter', 'Unauthenticated', 'Forbidden')
  rectification(@Param('id', ParseUuidParam) id: string, @CurrentPrincipal() principal: Principal): Promise<RectificationView> {
    return this.ratings.rectification(id, principal);
  }

  @Authenticated(Role.Leader, Role.SectionChief, Role.Handler, Role.Supervisor)
  @Post('rectifications/:id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'The department reports the rectification done (what it did); the applicant can then rate it' })
  @ApiErrors(SupervisionErrors, 'RectificationNotFound', 'RectificationStateConflict')
  @ApiErrors(KitErrors, 'ValidationFailed', 'InvalidParameter', 'Unauthenticated', 'Forbidden')
  complete(@Param('id', ParseUuidParam) id: string, @Body() dto: CompleteRectificationDto, @CurrentPrincipal() principal: Principal): Promise<RectificationView> {
    return this.ratings.complete(id, dto.action, principal);
  }

  @Authenticated(Role.Applicant)
  @Post('rectifications/:id/rating')
  @HttpCode(201)
  @ApiOperation({ summary: 'The applicant rates the rectification (five grades)' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiErrors(SupervisionErrors, 'RectificationNotFound', 'RectificationStateConflict', 'AlreadyRated')
  @ApiErrors(KitErrors, 'ValidationFailed', 'InvalidParameter', 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused', 'Unauthenticated', 'Forbidden')
  async rateRectification(
    @Param('id', ParseUuidParam) id: string,
    @Body() dto: RateRectificationDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RatingView> {
    const { result, replayed } = await this.ratings.rateRectification(id, dto, principal, requireIdempotencyKey(key));
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }
}
