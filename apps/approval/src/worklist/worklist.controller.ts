import { Authenticated, CurrentPrincipal, type Principal, actingSubject } from '@gov/auth';
import { ApiErrors, KitErrors, ParseUuidParam } from '@gov/service-kit';
import { CamundaClient, CamundaError } from '@gov/workflow';
import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CasesRepository } from '../cases/cases.repository';
import { onEngine, translateEngineError } from '../engine/engine-errors';
import { ApprovalErrors } from '../errors';
import { candidateGroupsOf } from './candidate-groups';
import { WorkItemDto } from './dtos/worklist.dto';
import { WorklistQueryDto } from './dtos/worklist-query.dto';
import { OFFICERS } from './officers';
import { StepAccess } from './step-access';

@ApiTags('worklist')
@Controller()
export class WorklistController {
  constructor(
    private readonly engine: CamundaClient,
    private readonly cases: CasesRepository,
    private readonly access: StepAccess,
  ) {}

  @Get('worklist')
  @Authenticated(...OFFICERS)
  @ApiOperation({
    summary: "Open steps for the officer's candidate groups (role:organisation), oldest first",
    description: 'Paged with limit/offset (default 50, at most 200); the number of matching steps is in the X-Total-Count header.',
  })
  @ApiOkResponse({ type: WorkItemDto, isArray: true, headers: { 'X-Total-Count': { description: 'Matching open steps, all pages', schema: { type: 'integer' } } } })
  @ApiErrors(ApprovalErrors, 'NotYourGroup', 'EngineUnavailable', 'EngineRefused', 'EngineFailed')
  @ApiErrors(KitErrors, 'ValidationFailed')
  async worklist(
    @CurrentPrincipal() principal: Principal,
    @Query() q: WorklistQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WorkItemDto[]> {
    const mine = candidateGroupsOf(principal);
    const { group } = q;
    if (group !== undefined && !mine.includes(group)) {
      throw ApprovalErrors.error('NotYourGroup', `You are not in group ${group.slice(0, 100)}; your groups are: ${mine.join(', ') || 'none'}.`, { field: 'group' });
    }
    const groups = group ? [group] : mine;
    if (groups.length === 0) {
      res.setHeader('X-Total-Count', '0');
      return [];
    }
    const query = {
      candidateGroups: groups,
      includeAssignedTasks: true,
      ...(q.caseNumber ? { processInstanceBusinessKey: q.caseNumber } : {}),
      ...(q.step ? { taskDefinitionKey: q.step } : {}),
    };
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 50;
    const tasks = await onEngine(this.engine.tasks(query, { firstResult: offset, maxResults: limit }));
    // A page that is not full ends the list, so it gives the count: the engine is counted only for a full page or a
    // page past the end (a worklist polled every few seconds costs one engine query, not two).
    const total = tasks.length < limit && (tasks.length > 0 || offset === 0) ? offset + tasks.length : await onEngine(this.engine.taskCount(query));
    res.setHeader('X-Total-Count', String(total));
    const cases = new Map((await this.cases.byProcessInstances([...new Set(tasks.map((t) => t.processInstanceId))])).map((c) => [c.processInstanceId, c]));
    // A step of a process this service did not start (started by hand in Cockpit, say) is still the group's work: it is
    // listed without a case rather than dropped, so pages stay as long as the engine's count says.
    return tasks.map((t) => {
      const c = cases.get(t.processInstanceId);
      return { taskId: t.id, caseNumber: c?.caseNumber ?? null, step: t.taskDefinitionKey, name: t.name, assignee: t.assignee, openedAt: new Date(t.created).toISOString(), matterName: c?.matterName ?? null };
    });
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
