import type { Principal } from '@gov/auth';
import { CamundaClient, type Task } from '@gov/workflow';
import { Injectable } from '@nestjs/common';
import { onEngine } from '../engine/engine-errors';
import { ApprovalErrors } from '../errors';
import { candidateGroupsOf } from './candidate-groups';

/** Object-level check: the officer must belong to one of the step's candidate groups (role at organisation). */
@Injectable()
export class StepAccess {
  constructor(private readonly engine: CamundaClient) {}

  async assertCandidate(taskId: string, principal: Principal): Promise<void> {
    const mine = new Set(candidateGroupsOf(principal));
    const groups = await onEngine(this.engine.candidateGroupsOf(taskId), taskId);
    if (!groups.some((g) => mine.has(g))) {
      throw ApprovalErrors.error('NotYourStep', `Step ${taskId} is for ${groups.join(', ') || 'nobody'}; your roles and organisations do not include it.`);
    }
  }

  /**
   * The open task when it is offered to one of the officer's candidate groups, in one engine round trip (a task
   * query by id and candidate groups, assigned tasks included); undefined when it is not (gone, or not theirs), for
   * the caller to find out which on the slower path that names the reason. The hot path of claim and complete.
   */
  async visibleTask(taskId: string, principal: Principal): Promise<Task | undefined> {
    const mine = candidateGroupsOf(principal);
    if (mine.length === 0) return undefined;
    const [task] = await onEngine(this.engine.tasks({ taskId, candidateGroups: mine, includeAssignedTasks: true }, { maxResults: 1 }), taskId);
    return task?.id === taskId ? task : undefined;
  }
}
