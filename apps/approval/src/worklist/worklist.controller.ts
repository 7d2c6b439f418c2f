import { AppError, Public, requireIdempotencyKey } from '@gov/service-kit';
import { CamundaClient } from '@gov/workflow';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CasesRepository } from '../cases/cases.repository';
import { CompleteStepUseCase, type StepCompleted } from './complete-step.use-case';
import { ClaimStepDto, CompleteStepDto, WorkItemDto } from './dtos/worklist.dto';
import { OpinionsRepository, type StoredOpinion } from './opinions.repository';

const GROUP = /^[a-z_]+:[A-Z0-9_-]{1,32}$/;

// TODO(identity issue): guarded by the auth kit once identity lands; the group then comes from the token.
@ApiTags('worklist')
@Public()
@Controller()
export class WorklistController {
  constructor(
    private readonly engine: CamundaClient,
    private readonly cases: CasesRepository,
    private readonly opinions: OpinionsRepository,
    private readonly complete: CompleteStepUseCase,
  ) {}

  @Get('worklist')
  @ApiOperation({ summary: 'Open steps for a candidate group (role:department), oldest first' })
  @ApiQuery({ name: 'group', example: 'handler:SCJG' })
  async worklist(@Query('group') group: string | undefined, @Query('tenant') tenant: string | undefined): Promise<WorkItemDto[]> {
    if (!group || !GROUP.test(group)) throw AppError.badRequest('GroupRequired', 'Pass ?group=<role>:<DEPARTMENT>, e.g. handler:SCJG.');
    const tasks = await this.engine.tasks({ candidateGroups: [group], includeAssignedTasks: true, ...(tenant ? { tenantIdIn: [tenant] } : {}) });
    const cases = new Map((await this.cases.byProcessInstances([...new Set(tasks.map((t) => t.processInstanceId))])).map((c) => [c.processInstanceId, c]));
    return tasks.flatMap((t) => {
      const c = cases.get(t.processInstanceId);
      if (!c) return [];
      return [{ taskId: t.id, caseNumber: c.caseNumber, step: t.taskDefinitionKey, name: t.name, assignee: t.assignee, openedAt: new Date(t.created).toISOString(), matterName: c.matterName }];
    });
  }

  @Post('tasks/:taskId/claim')
  @HttpCode(204)
  @ApiOperation({ summary: 'Claim a step' })
  async claim(@Param('taskId') taskId: string, @Body() body: ClaimStepDto): Promise<void> {
    const task = await this.engine.task(taskId).catch(() => {
      throw AppError.notFound('StepNotFound', `Step ${taskId} is not open.`);
    });
    if (task.assignee === body.officerId) return;
    if (task.assignee) throw AppError.conflict('StepClaimedByOther', `Step ${taskId} is already claimed by ${task.assignee}.`);
    await this.engine.claim(taskId, body.officerId);
  }

  @Post('tasks/:taskId/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a step with an opinion (approve or reject)' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  async completeStep(
    @Param('taskId') taskId: string,
    @Body() body: CompleteStepDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StepCompleted> {
    const { result, replayed } = await this.complete.execute(taskId, body, requireIdempotencyKey(key));
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Get('cases/:caseNumber')
  @ApiOperation({ summary: 'A case with its opinions' })
  async caseDetail(@Param('caseNumber') caseNumber: string): Promise<{ caseNumber: string; status: string; processInstanceId: string | null; opinions: StoredOpinion[] }> {
    const c = await this.cases.find(caseNumber);
    if (!c) throw AppError.notFound('CaseNotFound', `No case ${caseNumber}.`);
    return { caseNumber, status: c.status, processInstanceId: c.processInstanceId, opinions: await this.opinions.forCase(caseNumber) };
  }
}
