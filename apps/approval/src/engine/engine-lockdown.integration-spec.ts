import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventually } from '@gov/testing';
import { CamundaAdminClient, CamundaClient, CamundaError, WorkerHost } from '@gov/workflow';
import { Client } from 'pg';
import pino from 'pino';

// Issue 9 §4, lock-down: outside the local profile the engine checks authorizations, and only the deploy pipeline's
// user may deploy. This starts a second engine from the same jar the stack runs, with the production defaults (no
// profile), on a database of its own, and drives it with the platform's own clients as each of its users.
const ROOT = join(__dirname, '..', '..', '..', '..');
const JAR = process.env.ENGINE_JAR ?? join(ROOT, 'apps', 'engine', 'target', 'engine.jar');
const PG = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGSUPERUSER ?? 'postgres' };
const suffix = randomBytes(4).toString('hex');
const DB = `engine_lockdown_${suffix}`;
const TENANT = '449900';
const KEY = `lockdown-${suffix}`;
const TOPIC = `lockdown-${suffix}`;
const USERS = {
  runtime: { username: `svc-runtime-${suffix}`, password: randomBytes(12).toString('hex') },
  deploy: { username: `svc-deploy-${suffix}`, password: randomBytes(12).toString('hex') },
};
const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://gov.approval/bpmn">
  <bpmn:message id="m" name="lockdown-continue" />
  <bpmn:process id="${KEY}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Review" name="审查" camunda:candidateGroups="handler:X"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:receiveTask id="Wait" messageRef="m"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:receiveTask>
    <bpmn:serviceTask id="Issue" camunda:type="external" camunda:topic="${TOPIC}"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="e"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="Review" />
    <bpmn:sequenceFlow id="f2" sourceRef="Review" targetRef="Wait" />
    <bpmn:sequenceFlow id="f3" sourceRef="Wait" targetRef="Issue" />
    <bpmn:sequenceFlow id="f4" sourceRef="Issue" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function superuser<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ ...PG, database: 'postgres' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The engine's answer status to a call, 2xx included (a refusal is a CamundaError). */
async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (e) {
    if (e instanceof CamundaError) return e.status;
    throw e;
  }
}

describe('engine lock-down outside the local profile', () => {
  let engine: ChildProcess | undefined;
  let output = '';
  let url = '';
  const client = (who?: keyof typeof USERS | { username: string; password: string }) =>
    new CamundaClient({ baseUrl: url, ...(who === undefined ? {} : typeof who === 'string' ? USERS[who] : who) });

  beforeAll(async () => {
    if (!existsSync(JAR)) throw new Error(`${JAR} is missing: bring the stack up first (npm run stack:up builds the engine)`);
    await superuser((c) => c.query(`CREATE DATABASE ${DB} OWNER camunda`));
    const port = await freePort();
    url = `http://127.0.0.1:${port}/engine-rest`;
    engine = spawn('java', ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar', JAR], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        JAVA_HOME: process.env.JAVA_HOME ?? '',
        ENGINE_PORT: String(port),
        ENGINE_DB_URL: `jdbc:postgresql://${PG.host}:${PG.port}/${DB}`,
        ENGINE_DB_POOL_SIZE: '4',
        ENGINE_REST_USER: USERS.runtime.username,
        ENGINE_REST_PASSWORD: USERS.runtime.password,
        ENGINE_DEPLOY_USER: USERS.deploy.username,
        ENGINE_DEPLOY_PASSWORD: USERS.deploy.password,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => (output = (output + b.toString()).slice(-20_000));
    engine.stdout?.on('data', keep);
    engine.stderr?.on('data', keep);
    try {
      await eventually('the locked-down engine answering its runtime user', async () => (await client('runtime').version()).version.length > 0, 240_000, 1_000);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- engine output (end) ---\n${output.slice(-4000)}`);
    }
  }, 300_000);

  afterAll(async () => {
    if (engine && engine.exitCode === null) {
      const exited = new Promise((r) => engine?.once('exit', r));
      engine.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
      if (engine.exitCode === null) engine.kill('SIGKILL');
    }
    await superuser((c) => c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`));
  }, 60_000);

  it('answers 401 to a call without credentials, with an unknown user, and to the local profile demo user', async () => {
    // when / then (a wrong password for a real user would lock it for a few seconds: the engine's login throttling)
    expect(await statusOf(client().version())).toBe(401);
    expect(await statusOf(client({ username: `nobody-${suffix}`, password: 'x' }).version())).toBe(401);
    expect(await statusOf(client({ username: 'demo', password: 'demo' }).version())).toBe(401);
  });

  it('lets only the deploy user deploy, and the deploy user start no case', async () => {
    // given
    const files = [{ name: `${KEY}.bpmn`, content: BPMN }];
    // when the services' runtime user tries to deploy
    const byRuntime = await statusOf(client('runtime').deploy({ name: KEY, tenantId: TENANT, source: 'lockdown-test', files }));
    // then it is refused, and nothing was deployed
    expect(byRuntime).toBe(403);
    expect(await client('runtime').processDefinitionsByKey(KEY, TENANT)).toEqual([]);
    // when the pipeline's user deploys
    const deployment = await client('deploy').deploy({ name: KEY, tenantId: TENANT, source: 'lockdown-test', files });
    // then the flow is there for the tenant
    expect(deployment.id).toBeTruthy();
    expect((await client('runtime').processDefinitionsByKey(KEY, TENANT)).map((d) => d.key)).toEqual([KEY]);
    // and the deploy user may not start a case, nor the runtime user delete the deployment
    expect(await statusOf(client('deploy').startByKey(KEY, { businessKey: `deploy-${suffix}`, tenantId: TENANT }))).toBe(403);
    expect(await statusOf(client('runtime').deleteDeployment(deployment.id, true))).toBe(403);
  });

  it("lets the runtime user run a case through everything approval does: start, tasks, claim, complete, message, external task, history, incidents, deletion", async () => {
    // given the flow deployed by the pipeline's user (previous test) and a worker with the runtime user's credentials
    const runtime = client('runtime');
    const handled: string[] = [];
    const host = new WorkerHost({ baseUrl: url, ...USERS.runtime, workerId: `lockdown-${suffix}`, logger: pino({ level: 'silent' }), asyncResponseTimeoutMs: 5_000 });
    host.register({ topic: TOPIC, handler: async (task) => void handled.push(task.businessKey ?? '') });
    host.start();
    try {
      // when a case runs
      const instance = await runtime.startByKey(KEY, { businessKey: `case-${suffix}`, tenantId: TENANT, variables: { caseNumber: `case-${suffix}` } });
      const [task] = await runtime.tasks({ processInstanceId: instance.id });
      expect(task?.taskDefinitionKey).toBe('Review');
      if (!task) throw new Error('no task opened');
      expect(await runtime.candidateGroupsOf(task.id)).toEqual(['handler:X']);
      await runtime.claim(task.id, 'handler.market');
      await runtime.complete(task.id, { decision: 'approved' });
      await runtime.correlateMessage({ messageName: 'lockdown-continue', businessKey: `case-${suffix}`, tenantId: TENANT });
      // then the external task was worked and the case ended
      await eventually('the external task worked with the runtime user', async () => handled.includes(`case-${suffix}`), 30_000);
      await eventually('the case ended', async () => (await runtime.historicProcessInstances({ processInstanceId: instance.id }))[0]?.state === 'COMPLETED', 30_000);
      expect(await runtime.historicVariable(instance.id, 'decision')).toBe('approved');
      expect(await runtime.incidents({ processInstanceId: instance.id })).toEqual([]);
      // and a second case can be read and deleted (withdrawal, termination)
      const second = await runtime.startByKey(KEY, { businessKey: `withdrawn-${suffix}`, tenantId: TENANT });
      expect((await runtime.processInstances({ businessKey: `withdrawn-${suffix}` })).map((p) => p.id)).toEqual([second.id]);
      await runtime.deleteProcessInstance(second.id, 'withdrawn');
      expect(await runtime.processInstances({ businessKey: `withdrawn-${suffix}` })).toEqual([]);
    } finally {
      await host.stop();
    }
  });

  it('names who completed a step in its event: the officer groups approval sends for that very task, else the engine user', async () => {
    // given three cases at their review step
    const runtime = client('runtime');
    const start = async (name: string) => {
      const instance = await runtime.startByKey(KEY, { businessKey: `${name}-${suffix}`, tenantId: TENANT });
      const [task] = await runtime.tasks({ processInstanceId: instance.id });
      if (!task) throw new Error('no task opened');
      return task;
    };
    const [viaApproval, stale, raw] = [await start('officer'), await start('stale'), await start('raw')];
    const officerGroups = ['handler:X', 'section_chief:X'];
    // when approval completes one with the officer's groups for that task, one carries groups naming another task (left by
    // an earlier completion of the step), and one is completed straight through the REST API
    await runtime.complete(viaApproval.id, { ReviewActorGroups: JSON.stringify({ taskId: viaApproval.id, groups: officerGroups }) });
    await runtime.complete(stale.id, { ReviewActorGroups: JSON.stringify({ taskId: 'an-earlier-task', groups: officerGroups }) });
    await runtime.complete(raw.id);
    // then the engine's step.completed events name the officer's groups, and the engine user for the other two
    const actorGroupsOf = async (taskId: string) => {
      const c = new Client({ ...PG, database: DB });
      await c.connect();
      try {
        const { rows } = await c.query<{ payload: { data: { actorGroups?: string[] } } }>(`SELECT payload FROM outbox WHERE type = 'gov.approval.step.completed' AND payload->'data'->>'taskId' = $1`, [taskId]);
        return rows.map((r) => r.payload.data.actorGroups);
      } finally {
        await c.end();
      }
    };
    const engineUser = [`engine-user:${USERS.runtime.username}`, 'gov-runtime'];
    expect(await actorGroupsOf(viaApproval.id)).toEqual([officerGroups]);
    expect(await actorGroupsOf(stale.id)).toEqual([engineUser]);
    expect(await actorGroupsOf(raw.id)).toEqual([engineUser]);
  });

  it("lets the pipeline's user migrate a running case onto the version it deployed", async () => {
    // given a case running on version 1 and a version 2 deployed by the pipeline's user
    const runtime = client('runtime');
    const pipeline = new CamundaAdminClient({ baseUrl: url, ...USERS.deploy });
    const running = await runtime.startByKey(KEY, { businessKey: `migrated-${suffix}`, tenantId: TENANT });
    const v2 = BPMN.replace('name="审查"', 'name="审查（第二版）"');
    await pipeline.deploy({ name: KEY, tenantId: TENANT, source: 'lockdown-test', files: [{ name: `${KEY}.bpmn`, content: v2 }] });
    const [source, target] = [await pipeline.processDefinitionVersion(KEY, 1, TENANT), await pipeline.processDefinitionVersion(KEY, 2, TENANT)];
    if (!source || !target) throw new Error('both versions should be deployed');
    // when it plans, validates and runs the migration
    const plan = await pipeline.generateMigrationPlan(source.id, target.id);
    const validation = await pipeline.validateMigrationPlan(plan);
    expect((await pipeline.processInstancesOf(source.id)).map((p) => p.id)).toContain(running.id);
    await pipeline.executeMigration(plan, [running.id]);
    // then the case runs on version 2
    expect(validation).toBeDefined();
    expect((await runtime.processInstances({ businessKey: `migrated-${suffix}` }))[0]).toMatchObject({ id: running.id, definitionId: target.id });
  });
});
