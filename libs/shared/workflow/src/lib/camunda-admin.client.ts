import { CamundaClient, type ProcessDefinition, toVariables } from './camunda.client';

/** One activity instance of a running process instance (the tree the engine's modification API works on). */
export interface ActivityInstance {
  id: string;
  activityId: string;
  activityName: string | null;
  activityType: string;
  childActivityInstances: ActivityInstance[];
  executionIds?: string[];
}

export type ModificationInstruction =
  | { type: 'cancel'; activityInstanceId: string }
  | { type: 'cancel'; activityId: string; cancelCurrentActiveActivityInstances?: boolean }
  | { type: 'startBeforeActivity'; activityId: string; variables?: Record<string, { value: unknown; local?: boolean }> };

export interface MigrationPlan {
  sourceProcessDefinitionId: string;
  targetProcessDefinitionId: string;
  instructions: { sourceActivityIds: string[]; targetActivityIds: string[]; updateEventTrigger?: boolean }[];
  variables?: unknown;
}

export interface MigrationValidation {
  instructionReports: { instruction: { sourceActivityIds: string[]; targetActivityIds: string[] }; failures: string[] }[];
  variableReports?: Record<string, { failures: string[] }>;
}

/** A historic activity instance (finished or running), as the engine's history lists it. */
export interface HistoricActivity {
  id?: string;
  activityId: string;
  activityName?: string | null;
  activityType: string;
  assignee?: string | null;
  startTime?: string;
  endTime: string | null;
  canceled?: boolean;
}

export interface Job {
  id: string;
  processInstanceId: string;
  dueDate: string | null;
  exceptionMessage: string | null;
}

/**
 * The engine operations beyond the everyday client: process instance modification (return, take-back), message
 * correlation to one instance, jobs (timers) and the migration API. Used by the analysts' deploy pipeline and the
 * flow tests; the officer-facing actions build on the same calls.
 */
export class CamundaAdminClient extends CamundaClient {
  activityInstances(processInstanceId: string): Promise<ActivityInstance> {
    return this.request('GET', `/process-instance/${encodeURIComponent(processInstanceId)}/activity-instances`);
  }

  /** Cancels and starts activities inside one instance, in one engine transaction. */
  modify(processInstanceId: string, instructions: ModificationInstruction[], annotation?: string): Promise<void> {
    const body = {
      skipCustomListeners: false,
      skipIoMappings: false,
      annotation,
      instructions: instructions.map((i) =>
        i.type === 'startBeforeActivity' && i.variables
          ? { ...i, variables: Object.fromEntries(Object.entries(i.variables).map(([k, v]) => [k, { ...toVariables({ [k]: v.value })[k], local: v.local ?? false }])) }
          : i,
      ),
    };
    return this.request('POST', `/process-instance/${encodeURIComponent(processInstanceId)}/modification`, body);
  }

  /** Correlates a message to one process instance (not by business key: a called city review shares none). */
  correlateToInstance(messageName: string, processInstanceId: string, processVariables: Record<string, unknown> = {}): Promise<unknown> {
    return this.request('POST', '/message', { messageName, processInstanceId, processVariables: toVariables(processVariables), resultEnabled: true });
  }

  jobs(query: { processInstanceId: string }): Promise<Job[]> {
    return this.request('GET', `/job?processInstanceId=${encodeURIComponent(query.processInstanceId)}`);
  }

  executeJob(id: string): Promise<void> {
    return this.request('POST', `/job/${encodeURIComponent(id)}/execute`);
  }

  completeExternalTask(id: string, workerId: string, variables: Record<string, unknown> = {}): Promise<void> {
    return this.request('POST', `/external-task/${encodeURIComponent(id)}/complete`, { workerId, variables: toVariables(variables) });
  }

  processDefinition(id: string): Promise<ProcessDefinition> {
    return this.request('GET', `/process-definition/${encodeURIComponent(id)}`);
  }

  /** One deployed version of a process key for a tenant, or undefined. */
  async processDefinitionVersion(key: string, version: number, tenantId: string): Promise<ProcessDefinition | undefined> {
    const q = new URLSearchParams({ key, version: String(version), tenantIdIn: tenantId });
    const rows = await this.request<ProcessDefinition[]>('GET', `/process-definition?${q.toString()}`);
    return rows[0];
  }

  generateMigrationPlan(sourceProcessDefinitionId: string, targetProcessDefinitionId: string): Promise<MigrationPlan> {
    return this.request('POST', '/migration/generate', { sourceProcessDefinitionId, targetProcessDefinitionId, updateEventTriggers: true });
  }

  validateMigrationPlan(plan: MigrationPlan): Promise<MigrationValidation> {
    return this.request('POST', '/migration/validate', plan);
  }

  executeMigration(plan: MigrationPlan, processInstanceIds: string[]): Promise<void> {
    return this.request('POST', '/migration/execute', { migrationPlan: plan, processInstanceIds, skipCustomListeners: false, skipIoMappings: false });
  }

  /** Finished and running activity instances of one process instance, optionally of one type (e.g. noneEndEvent). */
  historicActivities(processInstanceId: string, activityType?: string): Promise<HistoricActivity[]> {
    const type = activityType ? `&activityType=${encodeURIComponent(activityType)}` : '';
    return this.request('GET', `/history/activity-instance?processInstanceId=${encodeURIComponent(processInstanceId)}${type}&sortBy=startTime&sortOrder=asc`);
  }

  /** Sets a task's assignee (transfer); the engine does not check who held it before. */
  setAssignee(taskId: string, userId: string): Promise<void> {
    return this.request('POST', `/task/${encodeURIComponent(taskId)}/assignee`, { userId });
  }

  processInstancesOf(processDefinitionId: string): Promise<{ id: string; businessKey: string | null }[]> {
    return this.request('GET', `/process-instance?processDefinitionId=${encodeURIComponent(processDefinitionId)}`);
  }
}
