import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoLogin } from '@gov/auth/testing';
import { STACK, type TestService, eventually, startTestService } from '@gov/testing';
import { Kafka, logLevel } from 'kafkajs';
import { CamundaClient } from '@gov/workflow';
import { ApprovalModule } from '../app.module';
import { type ApprovalConfig, loadApprovalConfig } from '../config';
import { APPROVAL_MIGRATIONS } from '../migrations';
import type { Clock } from '../worklist/clock';
import { WORKLIST_CONSUMER } from '../worklist/open-steps.consumer';

export type TestApproval = TestService<ApprovalConfig>;

/**
 * The environment of an approval under test that shares the stack's engine and Kafka without taking the stack's
 * work: no start-case consumer, no engine outbox relay, no external-task workers, no incident watcher, its own
 * consumer groups.
 */
export function isolatedApprovalEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    APPROVAL_PORT: '3003',
    ENGINE_URL: STACK.engineUrl,
    KAFKA_CONSUMERS: 'false',
    ENGINE_OUTBOX_RELAY: 'false',
    WORKERS_ENABLED: 'false',
    INCIDENT_WATCH: 'false',
    KAFKA_GROUP_PREFIX: `test-${randomBytes(4).toString('hex')}.`,
    ...extra,
  };
}

/**
 * Builds a throwaway approval service through the shared harness (fresh database, migrations, ephemeral port). Its
 * worklist read model consumes the step events the stack's approval relays (its own consumer group) and waits, before
 * returning, until that consumer has joined, so no step opened afterwards is missed. `clock`: the worklist's clock.
 */
export async function startTestApproval(env: Record<string, string> = {}, options: { clock?: Clock; reuseDatabase?: string } = {}): Promise<TestApproval> {
  const t = await startTestService({
    service: 'approval',
    loadConfig: loadApprovalConfig,
    databaseKey: 'APPROVAL_DB',
    migrations: APPROVAL_MIGRATIONS,
    module: (config, logger) => ApprovalModule.forRoot(config, logger, options.clock),
    env: isolatedApprovalEnv(env),
    ...(options.reuseDatabase ? { reuseDatabase: options.reuseDatabase } : {}),
  });
  if (t.config.WORKLIST_CONSUMER) await consumerJoined(`${t.config.KAFKA_GROUP_PREFIX}${WORKLIST_CONSUMER}`);
  return t;
}

/** Waits until a consumer group is stable with an assignment (a new group starts at the topics' end only then). */
async function consumerJoined(group: string): Promise<void> {
  const admin = new Kafka({ clientId: 'approval-tests', brokers: STACK.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await eventually(`consumer group ${group} stable`, async () => {
      const { groups } = await admin.describeGroups([group]);
      return groups[0]?.state === 'Stable' && groups[0].members.length > 0;
    }, 60_000, 250);
    // The group's offsets are resolved to the end right after the assignment.
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    await admin.disconnect();
  }
}

/** The worklist read model's row of a step, once its `opened` event arrived (the stack's relay, then Kafka). */
export function stepInReadModel(t: TestApproval, taskId: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  return eventually(`step ${taskId} in open_steps`, async () => (await t.ownerQuery(`SELECT * FROM open_steps WHERE task_id = $1`, [taskId]))[0], timeoutMs);
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
  /** The flow's payment-request topic (standard review's RequestPayment), also unique. */
  paymentTopic: string;
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
  const paymentTopic = `request-payment-test-${suffix}`;
  const xml = readFileSync(join(__dirname, '../../../../bpmn', file), 'utf8')
    .replaceAll(`"${processId}"`, `"${key}"`)
    .replaceAll('camunda:topic="issue-decision"', `camunda:topic="${topic}"`)
    .replaceAll('camunda:topic="request-payment"', `camunda:topic="${paymentTopic}"`);
  const deployment = await engine.deploy({ name: key, source: 'approval-tests', ...(tenantId ? { tenantId } : {}), files: [{ name: `${key}.bpmn`, content: xml }] });
  return { engine, key, topic, paymentTopic, deploymentId: deployment.id, remove: () => engine.deleteDeployment(deployment.id, true).catch(() => undefined) };
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
  matter: { code: string; name: string } = { code: 'TEST', name: '测试事项' },
): Promise<TestCase> {
  sequence += 1;
  const caseNumber = `449900-20261201-${String(sequence).padStart(9, '0')}`;
  // As start-case does: the case is recorded before the engine starts it (its first step's event may come at once).
  await query(
    `INSERT INTO cases (case_number, application_id, tenant_id, matter_code, matter_name, department_code, process_key, status, accepted_at)
     VALUES ($1, $2, '449900', $3, $4, $5, $6, 'accepted', now())`,
    [caseNumber, randomUUID(), matter.code, matter.name, departmentCode, flow.key],
  );
  const instance = await flow.engine.startByKey(flow.key, {
    businessKey: caseNumber,
    variables: { caseNumber, applicationId: randomUUID(), departmentCode, matterCode: matter.code, matterName: matter.name, applicantName: '张三', timeLimitWorkingDays: 20 },
  });
  await query(`UPDATE cases SET process_instance_id = $2, status = 'in-review', started_at = now() WHERE case_number = $1`, [caseNumber, instance.id]);
  const [task] = await flow.engine.tasks({ processInstanceId: instance.id });
  if (!task) throw new Error(`no open task for ${caseNumber}`);
  return { caseNumber, processInstanceId: instance.id, taskId: task.id };
}
