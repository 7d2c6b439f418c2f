import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role, actingSubject } from '@gov/auth';
import { ApiErrors, KitErrors, ParseCaseNumberParam, requireIdempotencyKey, runIdempotent } from '@gov/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { SupervisionErrors } from '../errors';
import { CaseNumber } from '@gov/contracts';
import { OrdersService, type OrderRow } from './orders.service';

export class IssueOrderDto {
  @ApiProperty({ required: false, enum: ['supervision', 'rectification'], default: 'supervision', description: '督办, or 整改通知 (a rectification notice, to a department, closed by the office once verified)' })
  @IsOptional()
  @IsIn(['supervision', 'rectification'], { message: "kind must be 'supervision' or 'rectification'" })
  kind?: 'supervision' | 'rectification';

  @ApiProperty({ example: '449900-20261201-000001' })
  @IsString({ message: 'caseNumber must be a case number' })
  @Length(1, 64, { message: 'caseNumber must be a case number' })
  caseNumber!: string;

  @ApiProperty({ required: false })
  @IsOptional()
  @IsString({ message: 'stepId must be the id of a step of the case' })
  @Length(1, 100, { message: 'stepId must be 1-100 characters' })
  stepId?: string;

  @ApiProperty({ enum: ['officer', 'section', 'department'] })
  @IsIn(['officer', 'section', 'department'], { message: "targetKind must be 'officer', 'section' or 'department'" })
  targetKind!: 'officer' | 'section' | 'department';

  @ApiProperty({ description: "The officer's user id, or the section's or department's organisation code" })
  @IsString({ message: 'target must be a user id or an organisation code' })
  @Length(1, 100, { message: 'target must be 1-100 characters' })
  target!: string;

  @ApiProperty({ example: '请于期限内说明超期原因并办结' })
  @IsString({ message: 'reason must be text' })
  @Length(1, 1000, { message: 'reason must be 1-1000 characters' })
  reason!: string;

  @ApiProperty({ example: 2, description: 'Working days given for the response (1-30)' })
  @IsInt({ message: 'respondWithinWorkingDays must be a whole number of working days' })
  @Min(1, { message: 'respondWithinWorkingDays must be at least 1' })
  @Max(30, { message: 'respondWithinWorkingDays must be at most 30' })
  respondWithinWorkingDays!: number;
}

export class RespondOrderDto {
  @ApiProperty({ example: '已于今日办结，超期原因为材料补正' })
  @IsString({ message: 'response must be text' })
  @Length(1, 2000, { message: 'response must be 1-2000 characters' })
  response!: string;
}

@ApiTags('supervision')
@Controller('supervision-orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly ds: DataSource,
  ) {}

  @Post()
  @HttpCode(201)
  @Authenticated(Role.Supervisor)
  @ApiOperation({ summary: 'Issue a supervision order (督办) about a case to an officer, a section or a department, with a response deadline' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiErrors(SupervisionErrors, 'BadOrder')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden', 'ValidationFailed', 'IdempotencyKeyMissing', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused')
  async issue(@Body() body: IssueOrderDto, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<OrderRow> {
    const idem = requireIdempotencyKey(key);
    if (body.kind === 'rectification' && body.targetKind !== 'department') throw SupervisionErrors.error('BadOrder', 'targetKind: a rectification notice (整改通知) goes to a department', { field: 'targetKind' });
    if (!CaseNumber.safeParse(body.caseNumber).success) throw SupervisionErrors.error('BadOrder', 'caseNumber: a case number looks like 441200-20261122-000001', { field: 'caseNumber' });
    const { result, replayed } = await runIdempotent(this.ds, 'supervision.orders', idem, body, async (m) => {
      const orgs = await this.orders.orgsOfCase(m, body.caseNumber, body.stepId ?? null);
      const orgCode = body.targetKind === 'officer' ? (orgs.section ?? orgs.department) : body.target;
      if (orgCode && !OrgScope.canActOn(principal, { orgCode })) throw SupervisionErrors.error('BadOrder', 'target: outside the organisations you supervise', { field: 'target' });
      const order = await this.orders.issue(m, { ...body, stepId: body.stepId ?? null, issuedBy: actingSubject(principal), orgCode });
      if (!order) throw SupervisionErrors.error('BadOrder', 'an identical automatic order exists', { field: 'stepId' });
      return order;
    });
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Get()
  @Authenticated(Role.Supervisor, Role.Sysadmin, Role.Leader, Role.SectionChief, Role.Handler)
  @ApiOperation({ summary: 'Supervision orders, oldest first (optionally of one case), with responses and escalations' })
  @ApiQuery({ name: 'caseNumber', required: false })
  @ApiErrors(KitErrors, 'InvalidParameter', 'Unauthenticated', 'Forbidden')
  async list(@Query('caseNumber') caseNumberRaw: unknown, @CurrentPrincipal() principal: Principal): Promise<OrderRow[]> {
    const caseNumber = caseNumberRaw === undefined || caseNumberRaw === '' ? undefined : new ParseCaseNumberParam().transform(caseNumberRaw, { type: 'query', data: 'caseNumber' });
    const all = await this.orders.list(caseNumber);
    const orgs = OrgScope.visibleOrgs(principal);
    return orgs ? all.filter((o) => o.target === principal.subject || orgs.includes(o.target)) : all;
  }

  @Post(':id/close')
  @HttpCode(200)
  @Authenticated(Role.Supervisor)
  @ApiOperation({ summary: 'Close a rectification notice (整改通知) once its rectification is verified (after the department answered)' })
  @ApiErrors(SupervisionErrors, 'OrderNotFound', 'OrderClosed')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  async close(@Param('id', new ParseUUIDPipe({ exceptionFactory: () => SupervisionErrors.error('OrderNotFound', 'id: not a supervision order id (a UUID)', { field: 'id' }) })) id: string, @CurrentPrincipal() principal: Principal): Promise<OrderRow> {
    const order = await this.orders.get(id);
    if (!order) throw SupervisionErrors.error('OrderNotFound', `No supervision order ${id}.`);
    OrgScope.assertCanActOn(principal, { orgCode: order.target });
    const done = await this.orders.close(id, actingSubject(principal));
    if (!done) throw SupervisionErrors.error('OrderClosed', `Order ${id} is not an answered, open rectification notice.`);
    return done;
  }

  @Post(':id/response')
  @HttpCode(200)
  @Authenticated(Role.Handler, Role.SectionChief, Role.Leader)
  @ApiOperation({ summary: 'Answer a supervision order addressed to you, your section or your department' })
  @ApiErrors(SupervisionErrors, 'OrderNotFound', 'OrderClosed')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden', 'ValidationFailed')
  async respond(@Param('id', new ParseUUIDPipe({ exceptionFactory: () => SupervisionErrors.error('OrderNotFound', 'id: not a supervision order id (a UUID)', { field: 'id' }) })) id: string, @Body() body: RespondOrderDto, @CurrentPrincipal() principal: Principal): Promise<OrderRow> {
    const order = await this.orders.get(id);
    if (!order) throw SupervisionErrors.error('OrderNotFound', `No supervision order ${id}.`);
    if (order.targetKind === 'officer' ? order.target !== principal.subject : !OrgScope.canActOn(principal, { orgCode: order.target })) {
      OrgScope.assertCanActOn(principal, { orgCode: order.target });
    }
    const done = await this.orders.respond(id, actingSubject(principal), body.response);
    if (!done) throw SupervisionErrors.error('OrderClosed', `Supervision order ${id} was already answered or escalated.`);
    return done;
  }
}
