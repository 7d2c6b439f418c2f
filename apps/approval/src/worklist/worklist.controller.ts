import { Authenticated, CurrentPrincipal, type Principal, actingSubject } from '@gov/auth';
import { ApiErrors, KitErrors, ParseUuidParam } from '@gov/service-kit';
import { lightAt } from '@gov/calendar';
import { CamundaClient, CamundaError } from '@gov/workflow';
import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { onEngine, translateEngineError } from '../engine/engine-errors';
import { ApprovalErrors } from '../errors';
import { candidateGroupsOf } from './candidate-groups';
import { WorkItemDto, WorklistCountsDto } from './dtos/worklist.dto';
import { WorklistFilterDto, WorklistQueryDto } from './dtos/worklist-query.dto';
import { Clock } from './clock';
import { type OpenStepRow, OpenStepsRepository, type WorklistFilter } from './open-steps.repository';
import { OpenStepsProjector } from './open-steps.projector';
import { OFFICERS } from './officers';
import { StepAccess } from './step-access';

/** A query date: a bare date is the start of that day in China Standard Time, as is a time without a zone. */
function instantOf(v: string): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(`${v}T00:00:00+08:00`);
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}+08:00`);
}

@ApiTags('worklist')
@Controller()
export class WorklistController {
  constructor(
    private readonly engine: CamundaClient,
    private readonly access: StepAccess,
    private readonly steps: OpenStepsRepository,
    private readonly projector: OpenStepsProjector,
    private readonly clock: Clock,
  ) {}

  @Get('worklist')
  @Authenticated(...OFFICERS)
  @ApiOperation({
    summary: "Open steps for the officer's candidate groups (role:organisation), with light, deadline and remaining working days",
    description:
      'Served from the open-steps read model (step events, reconciled with the engine). Filters: matter, light, dueBefore/dueAfter ' +
      '(a half-open range [dueAfter, dueBefore)), step, caseNumber, group, assignee=me|unassigned; sort=opened (oldest first, default) ' +
      'or deadline. Paged with limit/offset (default 50, at most 200); the number of matching steps is in the X-Total-Count header.',
  })
  @ApiOkResponse({ type: WorkItemDto, isArray: true, headers: { 'X-Total-Count': { description: 'Matching open steps, all pages', schema: { type: 'integer' } } } })
  @ApiErrors(ApprovalErrors, 'NotYourGroup')
  @ApiErrors(KitErrors, 'ValidationFailed')
  async worklist(
    @CurrentPrincipal() principal: Principal,
    @Query() q: WorklistQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WorkItemDto[]> {
    const filter = this.filterOf(principal, q);
    if (!filter) {
      res.setHeader('X-Total-Count', '0');
      return [];
    }
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 50;
    const now = this.clock.now();
    const rows = await this.steps.page(filter, now, q.sort ?? 'opened', limit, offset);
    // A page that is not full ends the list, so it gives the count: counted only for a full page or one past the end.
    const total = rows.length < limit && (rows.length > 0 || offset === 0) ? offset + rows.length : await this.steps.count(filter, now);
    res.setHeader('X-Total-Count', String(total));
    return rows.map((r) => this.item(r, now));
  }

  @Get('worklist/counts')
  @Authenticated(...OFFICERS)
  @ApiOperation({ summary: 'How many open steps of your groups are green, yellow and red, in all and per matter (the worklist filters apply)' })
  @ApiOkResponse({ type: WorklistCountsDto })
  @ApiErrors(ApprovalErrors, 'NotYourGroup')
  @ApiErrors(KitErrors, 'ValidationFailed')
  async counts(@CurrentPrincipal() principal: Principal, @Query() q: WorklistFilterDto): Promise<WorklistCountsDto> {
    const filter = this.filterOf(principal, q);
    const byMatter = filter ? await this.steps.counts(filter, this.clock.now()) : [];
    const byLight = { total: 0, green: 0, yellow: 0, red: 0 };
    for (const m of byMatter) for (const k of ['total', 'green', 'yellow', 'red'] as const) byLight[k] += m[k];
    return { byLight, byMatter };
  }

  /** The read model's filter for the officer's query; undefined when the officer has no groups to see. */
  private filterOf(principal: Principal, q: WorklistFilterDto): WorklistFilter | undefined {
    const mine = candidateGroupsOf(principal);
    const { group } = q;
    if (group !== undefined && !mine.includes(group)) {
      throw ApprovalErrors.error('NotYourGroup', `You are not in group ${group.slice(0, 100)}; your groups are: ${mine.join(', ') || 'none'}.`, { field: 'group' });
    }
    const groups = group ? [group] : mine;
    if (groups.length === 0) return undefined;
    return {
      groups,
      ...(q.matter !== undefined ? { matter: q.matter } : {}),
      ...(q.light !== undefined ? { light: q.light } : {}),
      ...(q.step !== undefined ? { step: q.step } : {}),
      ...(q.caseNumber !== undefined ? { caseNumber: q.caseNumber } : {}),
      ...(q.dueBefore !== undefined ? { dueBefore: instantOf(q.dueBefore) } : {}),
      ...(q.dueAfter !== undefined ? { dueAfter: instantOf(q.dueAfter) } : {}),
      ...(q.assignee === 'me' ? { assignee: actingSubject(principal) } : q.assignee === 'unassigned' ? { assignee: null } : {}),
    };
  }

  private item(r: OpenStepRow, now: Date): WorkItemDto {
    // A suspended step's clock stands still at the suspension.
    const at = r.suspendedAt ?? now;
    return {
      taskId: r.taskId,
      caseNumber: r.caseNumber,
      step: r.stepKey,
      name: r.stepName,
      assignee: r.assignee,
      openedAt: r.openedAt.toISOString(),
      matterName: r.matterName,
      matterCode: r.matterCode,
      light: r.deadline ? lightAt(at, r.deadline, r.deadline.getTime() - (r.yellowAt ?? r.deadline).getTime()) : 'green',
      deadline: r.deadline?.toISOString() ?? null,
      remainingWorkingDays: r.deadline ? this.projector.remainingWorkingDays(r.deadline, at) : null,
      timeLimitWorkingDays: r.timeLimitWorkingDays,
      suspended: r.suspendedAt !== null,
    };
  }

  @Post('tasks/:taskId/claim')
  @Authenticated(...OFFICERS)
  @HttpCode(204)
  @ApiOperation({ summary: 'Claim a step of one of your groups' })
  @ApiParam({ name: 'taskId', format: 'uuid' })
  @ApiErrors(ApprovalErrors, 'StepNotFound', 'NotYourStep', 'StepClaimedByOther', 'EngineUnavailable', 'EngineRefused', 'EngineFailed')
  @ApiErrors(KitErrors, 'InvalidParameter', 'InvalidText')
  async claim(@Param('taskId', ParseUuidParam) taskId: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    // One engine query on the usual path (the task, if offered to the officer's groups); the reason otherwise.
    let task = await this.access.visibleTask(taskId, principal);
    if (!task) {
      task = await onEngine(this.engine.task(taskId), taskId);
      await this.access.assertCandidate(taskId, principal);
    }
    const me = actingSubject(principal);
    if (task.assignee === me) return;
    if (task.assignee) throw ApprovalErrors.error('StepClaimedByOther', `Step ${taskId} is already claimed by ${task.assignee}.`);
    try {
      await this.engine.claim(taskId, me);
      // The read model follows at once (the engine stays the truth: a claim by another path is corrected by the reconciliation).
      await this.steps.setAssignee(taskId, me);
    } catch (e) {
      // Two officers claiming at once: the engine refuses the second; tell them who has it.
      if (!(e instanceof CamundaError) || e.isUnavailable) throw translateEngineError(e, taskId);
      const now = await this.engine.task(taskId).catch(() => undefined);
      if (!now) throw ApprovalErrors.error('StepNotFound', `Step ${taskId} is no longer open.`);
      if (now.assignee === me) return;
      if (now.assignee) throw ApprovalErrors.error('StepClaimedByOther', `Step ${taskId} was just claimed by ${now.assignee}.`);
      throw translateEngineError(e, taskId);
    }
  }
}
