import { type Principal, actingSubject, actorLabel } from '@gov/auth';
import { AppError, RequestContext, runIdempotent } from '@gov/service-kit';
import { CamundaClient, CamundaError } from '@gov/workflow';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CasesRepository } from '../cases/cases.repository';
import type { CompleteStepDto } from './dtos/worklist.dto';
import { candidateGroupsOf } from './candidate-groups';
import { OpinionsRepository, type StoredOpinion } from './opinions.repository';

export interface StepCompleted {
  taskId: string;
  caseNumber: string;
  step: string;
  outcome: 'approve' | 'reject';
  opinionHash: string;
  completedAt: string;
}

/**
 * An officer completes a step with an opinion. The opinion is appended in the same transaction that completes the
 * engine task: if the engine refuses (already completed, concurrent change), nothing is recorded.
 */
@Injectable()
export class CompleteStepUseCase {
  constructor(
    private readonly ds: DataSource,
    private readonly engine: CamundaClient,
    private readonly cases: CasesRepository,
    private readonly opinions: OpinionsRepository,
  ) {}

  async execute(taskId: string, command: CompleteStepDto, idempotencyKey: string, principal: Principal): Promise<{ result: StepCompleted; replayed: boolean }> {
    const officerId = actingSubject(principal);
    // The key is checked first, so a retry after success replays the result instead of finding the step gone.
    return runIdempotent(this.ds, `complete:${taskId}:${officerId}`, idempotencyKey, command, async (manager) => {
      const task = await this.engine.task(taskId).catch((e: unknown) => {
        if (e instanceof CamundaError && e.status === 404) throw AppError.notFound('StepNotFound', `Step ${taskId} is not open (it may be completed already).`);
        throw e;
      });
      const [c] = await this.cases.byProcessInstances([task.processInstanceId]);
      if (!c) throw AppError.notFound('CaseNotFound', `Step ${taskId} belongs to no known case.`);
      RequestContext.setCase(c.caseNumber);
      await this.assertCandidate(taskId, principal);
      if (task.assignee && task.assignee !== officerId) {
        throw AppError.conflict('StepClaimedByOther', `Step ${taskId} is claimed by ${task.assignee}; only they can complete it.`);
      }
      const stored: StoredOpinion = await this.opinions.append(manager, {
        caseNumber: c.caseNumber,
        taskId,
        taskDefinitionKey: task.taskDefinitionKey,
        stepName: task.name,
        officerId,
        officerLabel: actorLabel(principal),
        outcome: command.outcome,
        opinion: command.opinion,
        createdAt: new Date(),
      });
      const claimedNow = !task.assignee;
      try {
        if (claimedNow) await this.engine.claim(taskId, officerId);
        await this.engine.complete(taskId, {
          [`${task.taskDefinitionKey}Outcome`]: command.outcome,
          [`${task.taskDefinitionKey}Officer`]: actorLabel(principal),
          decision: command.outcome === 'approve' ? 'approved' : 'rejected',
        });
      } catch (e) {
        // A refused completion leaves the step as it was: give back a claim taken for it.
        if (claimedNow) await this.engine.unclaim(taskId).catch(() => undefined);
        if (e instanceof CamundaError && (e.status === 404 || e.isConcurrentModification)) {
          throw AppError.conflict('StepChanged', `Step ${taskId} was completed or changed by someone else; reload the worklist.`);
        }
        if (e instanceof CamundaError && e.status >= 500) {
          throw new AppError(503, 'EngineUnavailable', 'The process engine could not complete the step; nothing was recorded. Try again shortly.');
        }
        throw e;
      }
      return {
        taskId,
        caseNumber: c.caseNumber,
        step: task.taskDefinitionKey,
        outcome: command.outcome,
        opinionHash: stored.hash,
        completedAt: stored.createdAt.toISOString(),
      };
    });
  }

  /** Object-level check: the officer must belong to one of the step's candidate groups (role at organisation). */
  async assertCandidate(taskId: string, principal: Principal): Promise<void> {
    const mine = new Set(candidateGroupsOf(principal));
    const groups = await this.engine.candidateGroupsOf(taskId);
    if (!groups.some((g) => mine.has(g))) {
      throw AppError.forbidden('NotYourStep', `Step ${taskId} is for ${groups.join(', ') || 'nobody'}; your roles and organisations do not include it.`);
    }
  }
}
