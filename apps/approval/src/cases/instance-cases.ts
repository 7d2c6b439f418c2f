import { CamundaClient } from '@gov/workflow';
import { Injectable } from '@nestjs/common';
import { onEngine } from '../engine/engine-errors';
import type { Case } from './case.entity';
import { CasesRepository } from './cases.repository';

/** Called instances remembered (child → root); an instance's root never changes. */
const MAX_REMEMBERED = 10_000;

/**
 * The case a process instance belongs to: the case's own instance, or an instance its flow called (上报件: the city's
 * higher-level-review runs as a child instance in the city tenant, so its steps' processInstanceId is not the
 * case's). A child is mapped through the engine's history (its rootProcessInstanceId), once, then remembered.
 */
@Injectable()
export class InstanceCases {
  private readonly roots = new Map<string, string>();

  constructor(
    private readonly cases: CasesRepository,
    private readonly engine: CamundaClient,
  ) {}

  async caseOf(processInstanceId: string): Promise<Case | undefined> {
    const [own] = await this.cases.byProcessInstances([processInstanceId]);
    if (own) return own;
    const root = await this.rootOf(processInstanceId);
    if (!root || root === processInstanceId) return undefined;
    const [c] = await this.cases.byProcessInstances([root]);
    return c;
  }

  private async rootOf(processInstanceId: string): Promise<string | undefined> {
    const known = this.roots.get(processInstanceId);
    if (known) return known;
    const [h] = await onEngine(this.engine.historicProcessInstances({ processInstanceId }));
    const root = h?.rootProcessInstanceId ?? undefined;
    if (root && root !== processInstanceId) {
      if (this.roots.size >= MAX_REMEMBERED) this.roots.clear();
      this.roots.set(processInstanceId, root);
    }
    return root;
  }
}
