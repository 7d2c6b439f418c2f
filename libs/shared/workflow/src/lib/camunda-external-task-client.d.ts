// Minimal typings for camunda-external-task-client-js 3.x (ESM-only, ships no types): only what the worker host uses.
declare module 'camunda-external-task-client-js' {
  export interface Task {
    id: string;
    topicName: string;
    workerId: string;
    processInstanceId: string;
    processDefinitionKey: string;
    activityId: string;
    businessKey: string | null;
    tenantId: string | null;
    retries: number | null;
    errorMessage: string | null;
    lockExpirationTime: string;
    variables: Variables;
  }
  export class Variables {
    getAll(): Record<string, unknown>;
    get(name: string): unknown;
    set(name: string, value: unknown): Variables;
    setTyped(name: string, typed: { type: string; value: unknown; valueInfo?: Record<string, unknown> }): Variables;
    setAll(values: Record<string, unknown>): Variables;
  }
  export interface TaskService {
    complete(task: Task, variables?: Variables, localVariables?: Variables): Promise<void>;
    handleFailure(task: Task, options: { errorMessage: string; errorDetails?: string; retries: number; retryTimeout: number }): Promise<void>;
    handleBpmnError(task: Task, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void>;
    extendLock(task: Task, newDuration: number): Promise<void>;
  }
  export interface SubscribeOptions {
    lockDuration?: number;
    tenantIdIn?: string[];
    processDefinitionKey?: string;
  }
  export interface ClientOptions {
    baseUrl: string;
    workerId?: string;
    maxTasks?: number;
    maxParallelExecutions?: number;
    interval?: number;
    lockDuration?: number;
    autoPoll?: boolean;
    asyncResponseTimeout?: number;
    usePriority?: boolean;
    interceptors?: unknown[];
    use?: unknown[];
  }
  export class Client {
    constructor(options: ClientOptions);
    start(): void;
    stop(): void;
    /** Runs a task as fetchAndLock returned it (raw typed variables) with the handler subscribed to its topic. */
    executeTask(task: unknown): Promise<void>;
    subscribe(topic: string, options: SubscribeOptions, handler: (args: { task: Task; taskService: TaskService }) => Promise<void>): { unsubscribe(): void };
    on(event: string, listener: (...args: unknown[]) => void): this;
    activeTasksCount: number;
  }
  export class BasicAuthInterceptor {
    constructor(options: { username: string; password: string });
  }
}
