import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoLogin } from '@gov/auth/testing';
import { STACK, type TestService, startTestService } from '@gov/testing';
import { CamundaClient } from '@gov/workflow';
import { ApprovalModule } from '../app.module';
import { type ApprovalConfig, loadApprovalConfig } from '../config';
import { APPROVAL_MIGRATIONS } from '../migrations';

export type TestApproval = TestService<ApprovalConfig>;

/**
 * The environment of an approval under test that shares the stack's engine and Kafka without taking the stack's
 * work: no start-case consumer, no engine outbox relay, no external-task workers, its own consumer groups.
 */
export function isolatedApprovalEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    APPROVAL_PORT: '3003',
    ENGINE_URL: STACK.engineUrl,
    KAFKA_CONSUMERS: 'false',
    ENGINE_OUTBOX_RELAY: 'false',
    WORKERS_ENABLED: 'false',
    KAFKA_GROUP_PREFIX: `test-${randomBytes(4).toString('hex')}.`,
    ...extra,
  };
}

/** Builds a throwaway approval service through the shared harness (fresh database, migrations, ephemeral port). */
export function startTestApproval(env: Record<string, string> = {}): Promise<TestApproval> {
  return startTestService({
    service: 'approval',
    loadConfig: loadApprovalConfig,
    databaseKey: 'APPROVAL_DB',
    migrations: APPROVAL_MIGRATIONS,
    module: (config, logger) => ApprovalModule.forRoot(config, logger),
    env: isolatedApprovalEnv(env),
  });
}

/**
 * A demo officer's access token from the running identity. Other test processes log the same demo users in (each
 * TOTP step is accepted once; logins are rate-limited), so a refused login is tried again after the wait it names.
 */
export async function tokenOf(username: string): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return (await demoLogin(STACK.identity, username)).access_token;
    } catch (e) {
      if (attempt >= 5) throw e;
      const wait = /try again in (\d+) s/.exec(e instanceof Error ? e.message : '');
      await new Promise((r) => setTimeout(r, wait ? Number(wait[1]) * 1000 + 500 : 1000));
    }
  }
}

/** The organisation of demo user handler.market (登记注册处), whose handlers and section chiefs work the test cases. */
export const MARKET_SECTION = '11449900000000111Y';

export interface TestFlow {
  engine: CamundaClient;
  key: string;
  topic: string;
  deploymentId: string;
  remove(): Promise<void>;
}

/**
 * Deploys a copy of the skeleton flow under a unique process key and worker topic, so the stack's approval never
 * works its tasks (its workers fetch another topic; its worklist shows only its own cases).
 */
export async function deployTestFlow(tenantId?: string): Promise<TestFlow> {
  return deployLibraryTestFlow('skeleton-approval.bpmn', 'skeleton-approval', tenantId);
}

/**
 * Deploys a copy of a flow of the library (bpmn/<file>, process id `processId`) under a unique key and worker topic,
 * e.g. standard-review.bpmn for the return, take-back and suspension paths.
 */
export async function deployLibraryTestFlow(file: string, processId: string, tenantId?: string): Promise<TestFlow> {
  const engine = new CamundaClient({ baseUrl: STACK.engineUrl });
  const suffix = randomBytes(4).toString('hex');
  const key = `approval-test-${suffix}`;
  const topic = `issue-decision-test-${suffix}`;
  const xml = readFileSync(join(__dirname, '../../../../bpmn', file), 'utf8')
    .replaceAll(`"${processId}"`, `"${key}"`)
    .replace('camunda:topic="issue-decision"', `camunda:topic="${topic}"`);
  const deployment = await engine.deploy({ name: key, source: 'approval-tests', ...(tenantId ? { tenantId } : {}), files: [{ name: `${key}.bpmn`, content: xml }] });
  return { engine, key, topic, deploymentId: deployment.id, remove: () => engine.deleteDeployment(deployment.id, true).catch(() => undefined) };
}

export interface TestCase {
  caseNumber: string;
  processInstanceId: string;
  /** The open HandlerReview task. */
  taskId: string;
}

let sequence = Math.floor(Math.random() * 1e6);

/** Starts a case of the test flow on the engine and records it in the service's database, as start-case would. */
export async function startTestCase(
  flow: TestFlow,
  query: (sql: string, params: unknown[]) => Promise<unknown>,
  departmentCode = MARKET_SECTION,
): Promise<TestCase> {
  sequence += 1;
  const caseNumber = `449900-20261201-${String(sequence).padStart(9, '0')}`;
  const instance = await flow.engine.startByKey(flow.key, {
    businessKey: caseNumber,
    variables: { caseNumber, applicationId: randomUUID(), departmentCode, matterCode: 'TEST', matterName: '测试事项', applicantName: '张三', timeLimitWorkingDays: 20 },
  });
  await query(
    `INSERT INTO cases (case_number, application_id, tenant_id, matter_code, matter_name, department_code, process_key, process_instance_id, status, accepted_at, started_at)
     VALUES ($1, $2, '449900', 'TEST', '测试事项', $3, $4, $5, 'in-review', now(), now())`,
    [caseNumber, randomUUID(), departmentCode, flow.key, instance.id],
  );
  const [task] = await flow.engine.tasks({ processInstanceId: instance.id });
  if (!task) throw new Error(`no open task for ${caseNumber}`);
  return { caseNumber, processInstanceId: instance.id, taskId: task.id };
}
