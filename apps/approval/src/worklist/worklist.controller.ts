import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role, actingSubject } from '@gov/auth';
import { AppError, requireIdempotencyKey } from '@gov/service-kit';
import { CamundaClient, CamundaError } from '@gov/workflow';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CasesRepository } from '../cases/cases.repository';
import { candidateGroupsOf } from './candidate-groups';
import { CompleteStepUseCase, type StepCompleted } from './complete-step.use-case';
import { CompleteStepDto, WorkItemDto } from './dtos/worklist.dto';
import { OpinionsRepository, type StoredOpinion } from './opinions.repository';

const OFFICERS = [Role.WindowClerk, Role.Handler, Role.SectionChief, Role.Leader] as const;

@ApiTags('worklist')
@Controller()
export class WorklistController {
  constructor(
    private readonly engine: CamundaClient,
    private readonly cases: CasesRepository,
    private readonly opinions: OpinionsRepository,
    private readonly complete: CompleteStepUseCase,
  ) {}

  @Get('worklist')
  @Authenticated(...OFFICERS)
  @ApiOperation({ summary: "Open steps for the officer's candidate groups (role:organisation), oldest first" })
  @ApiQuery({ name: 'group', required: false, example: 'handler:11449900000000111Y', description: 'Narrow to one of your groups' })
  async worklist(@CurrentPrincipal() principal: Principal, @Query('group') group?: string): Promise<WorkItemDto[]> {
    const mine = candidateGroupsOf(principal);
    if (group !== undefined && !mine.includes(group)) {
      throw AppError.forbidden('NotYourGroup', `You are not in group ${group}; your groups are: ${mine.join(', ') || 'none'}.`);
    }
    const groups = group ? [group] : mine;
    if (groups.length === 0) return [];
    const tasks = await this.engine.tasks({ candidateGroups: groups, includeAssignedTasks: true });
    const cases = new Map((await this.cases.byProcessInstances([...new Set(tasks.map((t) => t.processInstanceId))])).map((c) => [c.processInstanceId, c]));
    return tasks.flatMap((t) => {
      const c = cases.get(t.processInstanceId);
      if (!c) return [];
      return [{ taskId: t.id, caseNumber: c.caseNumber, step: t.taskDefinitionKey, name: t.name, assignee: t.assignee, openedAt: new Date(t.created).toISOString(), matterName: c.matterName }];
    });
  }

  @Post('tasks/:taskId/claim')
  @Authenticated(...OFFICERS)
  @HttpCode(204)
  @ApiOperation({ summary: 'Claim a step of one of your groups' })
  async claim(@Param('taskId') taskId: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    const task = await this.engine.task(taskId).catch((e: unknown) => {
      if (e instanceof CamundaError && e.status === 404) throw AppError.notFound('StepNotFound', `Step ${taskId} is not open.`);
      throw e;
    });
    await this.complete.assertCandidate(taskId, principal);
    const me = actingSubject(principal);
    if (task.assignee === me) return;
    if (task.assignee) throw AppError.conflict('StepClaimedByOther', `Step ${taskId} is already claimed by ${task.assignee}.`);
    await this.engine.claim(taskId, me).catch(async (e: unknown) => {
      // Two officers claiming at once: the engine refuses the second (as a 500); tell them who has it.
      if (e instanceof CamundaError) {
        const now = await this.engine.task(taskId).catch(() => undefined);
        if (!now) throw AppError.notFound('StepNotFound', `Step ${taskId} is no longer open.`);
        if (now.assignee && now.assignee !== me) throw AppError.conflict('StepClaimedByOther', `Step ${taskId} was just claimed by ${now.assignee}.`);
        if (now.assignee === me) return;
      }
      throw e;
    });
  }

  @Post('tasks/:taskId/complete')
  @Authenticated(...OFFICERS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a step with an opinion (approve or reject)' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  async completeStep(
    @Param('taskId') taskId: string,
    @Body() body: CompleteStepDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StepCompleted> {
    const { result, replayed } = await this.complete.execute(taskId, body, requireIdempotencyKey(key), principal);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Get('opinions/verify')
  @Authenticated(Role.Supervisor, Role.Sysadmin)
  @ApiOperation({ summary: 'Verify the hash chain of all opinions (detects edits made around the triggers)' })
  async verifyOpinions(): Promise<{ intact: boolean; firstBroken: string | null }> {
    const firstBroken = await this.opinions.verifyChain();
    return { intact: firstBroken === null, firstBroken };
  }

  @Get('cases/:caseNumber')
  @Authenticated(...OFFICERS, Role.Supervisor)
  @ApiOperation({ summary: 'A case with its opinions (officers of the handling organisation, supervisors)' })
  async caseDetail(
    @Param('caseNumber') caseNumber: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ caseNumber: string; status: string; processInstanceId: string | null; opinions: StoredOpinion[] }> {
    const c = await this.cases.find(caseNumber);
    if (!c) throw AppError.notFound('CaseNotFound', `No case ${caseNumber}.`);
    OrgScope.assertCanActOn(principal, { orgCode: c.departmentCode });
    return { caseNumber, status: c.status, processInstanceId: c.processInstanceId, opinions: await this.opinions.forCase(caseNumber) };
  }
}
