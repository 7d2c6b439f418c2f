import type { Principal } from '@gov/auth';
import { CamundaClient } from '@gov/workflow';
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
}
