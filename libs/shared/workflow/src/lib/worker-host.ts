// The package ships no types; this ambient declaration must reach every program that imports the lib.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./camunda-external-task-client.d.ts" />
import { BasicAuthInterceptor, Client, Variables, type Task, type TaskService } from 'camunda-external-task-client-js';
import type { Logger } from 'pino';
import { CamundaClient, type RawExternalTask } from './camunda.client';
import { PollLoop } from './poll-loop';

/** Thrown by a handler to raise a BPMN error that the flow catches (a business outcome, not a technical failure). */
export class BpmnError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly variables: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BpmnError';
  }
}

export interface ExternalTask {
  id: string;
  topic: string;
  processInstanceId: string;
  businessKey: string | null;
  tenantId: string | null;
  activityId: string;
  retries: number | null;
  variables: Record<string, unknown>;
}

/** Returns the variables to set on completion. Must be idempotent: a task whose lock expires is fetched again. */
export type TaskHandler = (task: ExternalTask, ctx: { extendLock(ms: number): Promise<void>; logger: Logger }) => Promise<Record<string, unknown> | void>;

export interface WorkerRegistration {
  topic: string;
  handler: TaskHandler;
  lockDurationMs?: number;
  /** Total attempts before an incident is raised. */
  maxRetries?: number;
  tenantIds?: string[];
}

export interface WorkerHostOptions {
  baseUrl: string;
  workerId: string;
  logger: Logger;
  username?: string;
  password?: string;
  maxTasks?: number;
  /** Long-poll duration for fetchAndLock: the engine answers as soon as a task appears (default 25 s). */
  asyncResponseTimeoutMs?: number;
  /** Where tasks are fetched from (the engine's fetchAndLock by default; unit tests pass a fake). */
  fetchAndLock?: (body: Parameters<CamundaClient['fetchAndLock']>[0], signal: AbortSignal) => Promise<RawExternalTask[]>;
  /** First retry delay; doubles per failure up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Called with topic and outcome for metrics. */
  onOutcome?: (topic: string, outcome: 'completed' | 'bpmn-error' | 'failed' | 'incident') => void;
}

/**
 * Hosts external-task handlers: long polling driven by `PollLoop` (a task is fetched as soon as the engine has it,
 * with no sleep after a fetch that returned work), camunda-external-task-client-js for running and reporting a task
 * (automatic lock extension while a handler runs, failures reported with decreasing retries and exponential backoff,
 * an incident at zero, BPMN errors), and a shutdown that aborts the long poll and waits for running handlers.
 */
export class WorkerHost {
  private readonly client: Client;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly subscriptions: { topicName: string; lockDuration: number; tenantIdIn?: string[] }[] = [];
  private readonly loop: PollLoop<RawExternalTask>;
  private started = false;
  readonly topics: string[] = [];

  constructor(private readonly options: WorkerHostOptions) {
    this.client = new Client({
      baseUrl: options.baseUrl,
      workerId: options.workerId,
      maxTasks: options.maxTasks ?? 10,
      maxParallelExecutions: options.maxTasks ?? 10,
      // The client never polls here (autoPoll off, start() never called): PollLoop fetches, the client runs tasks.
      autoPoll: false,
      // The client rejects empty arrays here: pass interceptors only when there is one.
      ...(options.username ? { interceptors: [new BasicAuthInterceptor({ username: options.username, password: options.password ?? '' })] } : {}),
    });
    const engine = new CamundaClient({ baseUrl: options.baseUrl, username: options.username, password: options.password });
    const fetchAndLock = options.fetchAndLock ?? ((body, signal) => engine.fetchAndLock(body, signal));
    const maxTasks = options.maxTasks ?? 10;
    const asyncResponseTimeout = options.asyncResponseTimeoutMs ?? 25_000;
    this.loop = new PollLoop<RawExternalTask>({
      maxParallel: maxTasks,
      idleMs: asyncResponseTimeout > 0 ? 0 : 300,
      fetch: (max, signal) => fetchAndLock({ workerId: options.workerId, maxTasks: max, usePriority: true, asyncResponseTimeout, topics: this.subscriptions }, signal),
      dispatch: (task) => this.client.executeTask(task),
      onError: (e) => options.logger.warn({ err: e }, 'fetchAndLock failed; retrying with backoff'),
    });
  }

  register(reg: WorkerRegistration): void {
    if (this.started) throw new Error('register workers before start()');
    const lockDuration = reg.lockDurationMs ?? 30_000;
    this.topics.push(reg.topic);
    this.subscriptions.push({ topicName: reg.topic, lockDuration, ...(reg.tenantIds ? { tenantIdIn: reg.tenantIds } : {}) });
    this.client.subscribe(reg.topic, { lockDuration, ...(reg.tenantIds ? { tenantIdIn: reg.tenantIds } : {}) }, ({ task, taskService }) => {
      const run = this.execute(reg, lockDuration, task, taskService);
      this.inFlight.add(run);
      return run.finally(() => this.inFlight.delete(run));
    });
  }

  start(): void {
    this.started = true;
    if (this.subscriptions.length > 0) this.loop.start();
  }

  /** Stops fetching (aborting the long poll) and waits (bounded) for running handlers to finish and report. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.loop.stop();
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) await Promise.race([...this.inFlight, new Promise((r) => setTimeout(r, 100))]);
  }

  private async execute(reg: WorkerRegistration, lockDuration: number, task: Task, service: TaskService): Promise<void> {
    const logger = this.options.logger.child({ topic: reg.topic, taskId: task.id, caseId: task.businessKey ?? undefined });
    // Extend the lock at half its duration for as long as the handler runs.
    const extender = setInterval(() => {
      service.extendLock(task, lockDuration).catch((e: unknown) => logger.warn({ err: e }, 'lock extension failed'));
    }, Math.max(1000, lockDuration / 2));
    const external: ExternalTask = {
      id: task.id,
      topic: reg.topic,
      processInstanceId: task.processInstanceId,
      businessKey: task.businessKey,
      tenantId: task.tenantId,
      activityId: task.activityId,
      retries: task.retries,
      variables: task.variables.getAll(),
    };
    try {
      const result = await reg.handler(external, { extendLock: (ms) => service.extendLock(task, ms), logger });
      clearInterval(extender);
      await service.complete(task, toClientVariables(result ?? {}));
      this.options.onOutcome?.(reg.topic, 'completed');
    } catch (e) {
      clearInterval(extender);
      if (e instanceof BpmnError) {
        logger.info({ code: e.code }, 'handler raised a BPMN error');
        await service.handleBpmnError(task, e.code, e.message, toClientVariables(e.variables));
        this.options.onOutcome?.(reg.topic, 'bpmn-error');
        return;
      }
      const max = reg.maxRetries ?? 3;
      // The engine does not decrement retries on its own: the worker reports what is left.
      const retries = task.retries === null || task.retries === undefined ? max - 1 : task.retries - 1;
      const attempt = max - retries;
      const backoff = Math.min((this.options.backoffMs ?? 1000) * 2 ** Math.max(0, attempt - 1), this.options.maxBackoffMs ?? 60_000);
      const message = e instanceof Error ? e.message : String(e);
      logger.warn({ err: e, retriesLeft: Math.max(0, retries), backoff }, retries > 0 ? 'handler failed; will retry' : 'handler failed; raising an incident');
      await service
        .handleFailure(task, { errorMessage: message.slice(0, 600), errorDetails: e instanceof Error ? (e.stack ?? message) : message, retries: Math.max(0, retries), retryTimeout: backoff })
        .catch((err: unknown) => logger.error({ err }, 'could not report failure; the lock will expire and the task will be fetched again'));
      this.options.onOutcome?.(reg.topic, retries > 0 ? 'failed' : 'incident');
    }
  }
}

function toClientVariables(values: Record<string, unknown>): Variables {
  const v = new Variables();
  for (const [name, value] of Object.entries(values)) {
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) v.setTyped(name, { type: 'Json', value: JSON.stringify(value) });
    else v.set(name, value);
  }
  return v;
}
