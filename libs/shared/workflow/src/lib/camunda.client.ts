/** Typed client for the Camunda 7 REST API (/engine-rest): the calls the platform uses, and nothing hidden. */

export type VariableType = 'String' | 'Integer' | 'Long' | 'Double' | 'Boolean' | 'Json' | 'Date' | 'Null';
export interface TypedValue {
  value: unknown;
  type: VariableType;
  valueInfo?: Record<string, unknown>;
}
export type Variables = Record<string, TypedValue>;

/** Converts plain values to Camunda's typed variables (objects become Json). */
export function toVariables(values: Record<string, unknown>): Variables {
  const out: Variables = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined) out[name] = { value: null, type: 'Null' };
    else if (typeof value === 'string') out[name] = { value, type: 'String' };
    else if (typeof value === 'boolean') out[name] = { value, type: 'Boolean' };
    else if (typeof value === 'number') out[name] = Number.isInteger(value) ? { value, type: 'Long' } : { value, type: 'Double' };
    else if (value instanceof Date) out[name] = { value: value.toISOString().replace('Z', '+0000'), type: 'Date' };
    else out[name] = { value: JSON.stringify(value), type: 'Json' };
  }
  return out;
}

export class CamundaError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly path: string,
    /** The engine's error code (Camunda 7.19+: 1 is an optimistic locking failure, 10000 a deadlock), when given. */
    readonly code: number | null = null,
  ) {
    super(`engine ${status} ${type} on ${path}: ${message}`);
    this.name = 'CamundaError';
  }
  /**
   * The engine refused because of a concurrent change (optimistic locking): safe to retry after re-reading. The REST
   * API names it by type on some calls and, on commands such as a task's completion, as a RestException with error
   * code 1 and the ENGINE-03005 "updated by another transaction concurrently" message.
   */
  get isConcurrentModification(): boolean {
    return this.type === 'OptimisticLockingException' || this.code === 1 || /OptimisticLocking|updated by another transaction concurrently/.test(this.message);
  }
  /** The object named in the path does not exist (the engine answers 404 on reads, a 500 "task is null" on commands). */
  get isNotFound(): boolean {
    return this.status === 404 || this.type === 'NullValueException' || /Cannot find task with id|No matching task/.test(this.message);
  }
  /** The task is claimed by someone else (the engine answers 500 TaskAlreadyClaimedException). */
  get isAlreadyClaimed(): boolean {
    return this.type === 'TaskAlreadyClaimedException' || /is already claimed by/.test(this.message);
  }
  /** The engine did not answer (down, unreachable, timed out: status 0) or answered as a gateway that is down. */
  get isUnavailable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
  /** The reason the engine gave, without the status and path prefix. */
  get reason(): string {
    return this.message.slice(this.message.indexOf(': ') + 2);
  }
}

export interface Deployment {
  id: string;
  name: string;
  tenantId: string | null;
  deploymentTime: string;
  deployedProcessDefinitions: Record<string, ProcessDefinition> | null;
}
export interface ProcessDefinition {
  id: string;
  key: string;
  version: number;
  tenantId: string | null;
}
export interface ProcessInstance {
  id: string;
  definitionId: string;
  businessKey: string | null;
  tenantId: string | null;
  ended: boolean;
  suspended: boolean;
}
export interface Task {
  id: string;
  name: string | null;
  assignee: string | null;
  created: string;
  due: string | null;
  taskDefinitionKey: string;
  processInstanceId: string;
  processDefinitionId: string;
  tenantId: string | null;
  executionId?: string;
}
export interface TaskQuery {
  taskId?: string;
  candidateGroups?: string[];
  candidateUser?: string;
  assignee?: string;
  processInstanceBusinessKey?: string;
  processInstanceId?: string;
  tenantIdIn?: string[];
  taskDefinitionKey?: string;
  processDefinitionKey?: string;
  includeAssignedTasks?: boolean;
}
export interface HistoricTask {
  id: string;
  name: string | null;
  taskDefinitionKey: string;
  assignee: string | null;
  startTime: string;
  endTime: string | null;
  deleteReason: string | null;
  processInstanceId: string;
}
export interface HistoricProcessInstance {
  id: string;
  processDefinitionId?: string;
  businessKey: string | null;
  processDefinitionKey: string;
  startTime: string;
  endTime: string | null;
  state: string;
  tenantId: string | null;
  deleteReason?: string | null;
  /** The instance that called this one (a call activity), and the top of the call chain (itself when not called). */
  superProcessInstanceId?: string | null;
  rootProcessInstanceId?: string | null;
}
export interface Incident {
  id: string;
  incidentType: string;
  incidentMessage: string | null;
  processInstanceId: string;
  activityId: string;
  incidentTimestamp: string;
  processDefinitionId?: string | null;
  failedActivityId?: string | null;
  tenantId?: string | null;
}
/** An incident from the history (GET /history/incident): also the ones no longer open. */
export interface HistoricIncident {
  id: string;
  incidentType: string;
  incidentMessage: string | null;
  processInstanceId: string | null;
  processDefinitionId: string | null;
  activityId: string | null;
  tenantId: string | null;
  createTime: string;
  endTime: string | null;
  open: boolean;
  resolved: boolean;
  deleted: boolean;
}

export interface FetchAndLockRequest {
  workerId: string;
  maxTasks: number;
  usePriority?: boolean;
  asyncResponseTimeout?: number;
  topics: { topicName: string; lockDuration: number; tenantIdIn?: string[] }[];
}
/** An external task as fetchAndLock returns it (variables still typed). */
export interface RawExternalTask {
  id: string;
  topicName: string;
  processInstanceId: string;
  businessKey: string | null;
  tenantId: string | null;
  activityId: string;
  retries: number | null;
  variables: Record<string, TypedValue>;
  [more: string]: unknown;
}

export interface CamundaClientOptions {
  baseUrl: string;
  username?: string;
  password?: string;
  timeoutMs?: number;
}

export class CamundaClient {
  private readonly auth?: string;

  constructor(private readonly options: CamundaClientOptions) {
    if (options.username) this.auth = 'Basic ' + Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64');
  }

  version(): Promise<{ version: string }> {
    return this.request('GET', '/version');
  }

  /** Deploys BPMN files; unchanged resources are not redeployed. */
  async deploy(params: { name: string; tenantId?: string; source?: string; files: { name: string; content: string | Buffer }[] }): Promise<Deployment> {
    const form = new FormData();
    form.set('deployment-name', params.name);
    form.set('deploy-changed-only', 'true');
    form.set('enable-duplicate-filtering', 'true');
    form.set('deployment-source', params.source ?? 'gov-platform');
    if (params.tenantId) form.set('tenant-id', params.tenantId);
    for (const f of params.files) form.set(f.name, new Blob([f.content], { type: 'application/octet-stream' }), f.name);
    return this.request('POST', '/deployment/create', form);
  }

  /** Deletes a deployment; with `cascade` its process instances and history go too (test clean-up). */
  deleteDeployment(id: string, cascade = false): Promise<void> {
    return this.request('DELETE', `/deployment/${enc(id)}?${qs({ cascade })}`);
  }

  processDefinitionsByKey(key: string, tenantId?: string): Promise<ProcessDefinition[]> {
    return this.request('GET', `/process-definition?${qs({ key, tenantIdIn: tenantId, latestVersion: true })}`);
  }

  /** The BPMN XML of a deployed definition (immutable: a changed flow is a new definition). */
  async processDefinitionXml(id: string): Promise<string> {
    const r = await this.request<{ bpmn20Xml: string }>('GET', `/process-definition/${enc(id)}/xml`);
    return r.bpmn20Xml;
  }

  /** Starts an instance of exactly this definition (its tenant is the definition's). */
  startById(definitionId: string, params: { businessKey: string; variables?: Record<string, unknown> }): Promise<ProcessInstance> {
    return this.request('POST', `/process-definition/${enc(definitionId)}/start`, { businessKey: params.businessKey, variables: toVariables(params.variables ?? {}) });
  }

  startByKey(key: string, params: { businessKey: string; tenantId?: string; variables?: Record<string, unknown> }): Promise<ProcessInstance> {
    const path = params.tenantId ? `/process-definition/key/${enc(key)}/tenant-id/${enc(params.tenantId)}/start` : `/process-definition/key/${enc(key)}/start`;
    return this.request('POST', path, { businessKey: params.businessKey, variables: toVariables(params.variables ?? {}) });
  }

  processInstances(query: { businessKey?: string; tenantIdIn?: string[]; processDefinitionKey?: string }): Promise<ProcessInstance[]> {
    return this.request('GET', `/process-instance?${qs({ ...query, tenantIdIn: query.tenantIdIn?.join(',') })}`);
  }

  /** A process variable's value, or undefined when the instance does not have it. */
  async variable(processInstanceId: string, name: string): Promise<unknown> {
    try {
      const v = await this.request<{ value: unknown }>('GET', `/process-instance/${enc(processInstanceId)}/variables/${enc(name)}?deserializeValue=true`);
      return v.value;
    } catch (e) {
      if (e instanceof CamundaError && e.status === 404) return undefined;
      throw e;
    }
  }

  correlateMessage(params: { messageName: string; businessKey?: string; tenantId?: string; processVariables?: Record<string, unknown>; all?: boolean }): Promise<unknown> {
    return this.request('POST', '/message', {
      messageName: params.messageName,
      businessKey: params.businessKey,
      tenantId: params.tenantId,
      all: params.all ?? false,
      processVariables: toVariables(params.processVariables ?? {}),
      resultEnabled: true,
    });
  }

  tasks(query: TaskQuery, page?: { firstResult?: number; maxResults?: number }): Promise<Task[]> {
    const body: Record<string, unknown> = { ...query, sorting: [{ sortBy: 'created', sortOrder: 'asc' }] };
    return this.request('POST', `/task?${qs({ firstResult: page?.firstResult ?? 0, maxResults: page?.maxResults ?? 100 })}`, body);
  }

  /** How many tasks match the query (for paging a worklist). */
  async taskCount(query: TaskQuery): Promise<number> {
    const { count } = await this.request<{ count: number }>('POST', '/task/count', { ...query });
    return count;
  }

  task(id: string): Promise<Task> {
    return this.request('GET', `/task/${enc(id)}`);
  }

  async candidateGroupsOf(taskId: string): Promise<string[]> {
    const links = await this.request<{ groupId: string | null; type: string }[]>('GET', `/task/${enc(taskId)}/identity-links?type=candidate`);
    return links.map((l) => l.groupId).filter((g): g is string => !!g);
  }

  claim(taskId: string, userId: string): Promise<void> {
    return this.request('POST', `/task/${enc(taskId)}/claim`, { userId });
  }

  unclaim(taskId: string): Promise<void> {
    return this.request('POST', `/task/${enc(taskId)}/unclaim`, {});
  }

  complete(taskId: string, variables: Record<string, unknown> = {}): Promise<void> {
    return this.request('POST', `/task/${enc(taskId)}/complete`, { variables: toVariables(variables) });
  }

  historicTasks(query: { processInstanceBusinessKey?: string; processInstanceId?: string; taskId?: string }): Promise<HistoricTask[]> {
    return this.request('GET', `/history/task?${qs({ ...query, sortBy: 'startTime', sortOrder: 'asc' })}`);
  }

  historicProcessInstances(query: { processInstanceBusinessKey?: string; processInstanceId?: string; superProcessInstanceId?: string }): Promise<HistoricProcessInstance[]> {
    return this.request('GET', `/history/process-instance?${qs(query)}`);
  }

  /** Many historic instances at once, by id (a POST query: the list does not go into the URL). */
  historicProcessInstancesByIds(processInstanceIds: string[]): Promise<HistoricProcessInstance[]> {
    if (processInstanceIds.length === 0) return Promise.resolve([]);
    return this.request('POST', `/history/process-instance?maxResults=${processInstanceIds.length}`, { processInstanceIds });
  }

  /** A variable's value from history (also for ended instances), or undefined when it was never set. */
  async historicVariable(processInstanceId: string, name: string): Promise<unknown> {
    const rows = await this.request<{ value: unknown }[]>('GET', `/history/variable-instance?${qs({ processInstanceId, variableName: name, deserializeValues: true })}`);
    return rows[0]?.value;
  }

  /**
   * fetchAndLock with long polling: the engine holds the request up to `asyncResponseTimeout` ms and answers as soon
   * as a task of one of the topics is available. `signal` aborts the wait (on shutdown).
   */
  fetchAndLock(body: FetchAndLockRequest, signal?: AbortSignal): Promise<RawExternalTask[]> {
    return this.request('POST', '/external-task/fetchAndLock', body, { timeoutMs: (body.asyncResponseTimeout ?? 0) + 15_000, signal });
  }

  incidents(query: { processInstanceId?: string; processDefinitionKeyIn?: string[] }, page?: { firstResult?: number; maxResults?: number }): Promise<Incident[]> {
    return this.request(
      'GET',
      `/incident?${qs({ ...query, processDefinitionKeyIn: query.processDefinitionKeyIn?.join(','), sortBy: 'incidentTimestamp', sortOrder: 'asc', firstResult: page?.firstResult, maxResults: page?.maxResults })}`,
    );
  }

  /** The history of one incident (empty when the history level keeps none, or it was cleaned up). */
  historicIncidents(query: { incidentId: string }): Promise<HistoricIncident[]> {
    return this.request('GET', `/history/incident?${qs(query)}`);
  }

  deleteProcessInstance(id: string, reason: string): Promise<void> {
    return this.request('DELETE', `/process-instance/${enc(id)}?${qs({ skipCustomListeners: false, deleteReason: reason })}`);
  }

  protected async request<T>(method: string, path: string, body?: unknown, init?: { timeoutMs?: number; signal?: AbortSignal }): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.auth) headers.authorization = this.auth;
    let payload: FormData | string | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const signals = [AbortSignal.timeout(init?.timeoutMs ?? this.options.timeoutMs ?? 15_000), ...(init?.signal ? [init.signal] : [])];
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.options.baseUrl.replace(/\/$/, '') + path, { method, headers, body: payload, signal: AbortSignal.any(signals) });
      text = await res.text();
    } catch (e) {
      if (init?.signal?.aborted) throw e;
      // Connection refused, reset or timed out: status 0 says "no answer", distinct from any status the engine sends.
      throw new CamundaError(0, 'EngineUnreachable', e instanceof Error ? e.message : String(e), path.split('?')[0] ?? path);
    }
    if (!res.ok) {
      let type = 'HttpError';
      let message = text.slice(0, 500);
      let code: number | null = null;
      try {
        const err = JSON.parse(text) as { type?: string; message?: string; code?: number };
        type = err.type ?? type;
        message = err.message ?? message;
        code = typeof err.code === 'number' ? err.code : null;
      } catch {
        /* not JSON */
      }
      throw new CamundaError(res.status, type, message, path.split('?')[0] ?? path, code);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  return sp.toString();
}
