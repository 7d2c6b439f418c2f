// Whole-case throughput, platform against the bare engine, on the running stack (npm run stack:up first).
//   (A) the skeleton BPMN under its own process key, external-task topic and tenant, driven straight through Camunda
//       REST: start, then claim and complete each user task, then the bench's own long-polling worker fetches, locks
//       and completes the external task;
//   (B) the same number of cases through the platform: apply on intake, the three reviews through approval's HTTP
//       API (worklist, claim, complete with an opinion) by the demo officers, until approval shows the decision and
//       supervision shows every step closed;
//   (A) again. B is compared with the mean of the two A runs, at each client count.
// A case's time runs from its first request to "done": the external task completed (A); the decision visible in
// approval and all three steps closed in supervision (B). Before each phase the databases it uses get VACUUM ANALYZE
// (this machine's PostgreSQL runs with autovacuum off).
//   npx tsx bench/throughput.ts [--cases 60] [--clients 1,4] [--warmup 3] [--poll-ms 20] [--timeout-ms 30000]
//                               [--applicant zhangsan|clerk] [--no-claim] [--json out.json] [--max-minutes 15]
//                               [--flow skeleton|joint-review]
// --flow joint-review runs DEMO-ZRZY-010 (bpmn/joint-review.bpmn): the lead's review, three co-reviews at once by three
// departments' officers, the lead's consolidation, the leader's decision (all agreeing: no joint meeting).
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { demoLogin } from '@gov/auth/testing';
import { type CpuSnapshot, cpuDelta, cpuSnapshot, stackRoots } from './cpu-accounting';
import { Client } from 'pg';

// ---------------------------------------------------------------------------------------------------------------
// Options

const args = process.argv.slice(2);
function arg(name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}
function positiveInt(name: string, fallback: number): number {
  const v = Number(arg(name, String(fallback)));
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a whole number >= 0`);
  return v;
}
const CASES = positiveInt('cases', 60);
const CLIENTS = arg('clients', '1,4')
  .split(',')
  .map((s) => Number(s.trim()));
if (CASES < 1 || CLIENTS.some((c) => !Number.isInteger(c) || c < 1))
  throw new Error('--cases must be >= 1 and --clients a comma-separated list of whole numbers >= 1');
const WARMUP = positiveInt('warmup', 3);
const POLL_MS = positiveInt('poll-ms', 20);
const TIMEOUT_MS = positiveInt('timeout-ms', 30_000);
const MAX_MINUTES = positiveInt('max-minutes', 15);
const APPLICANT = arg('applicant', 'zhangsan');
const CLAIM = !args.includes('--no-claim');
const JSON_OUT = arg('json', '');

const URLS = {
  engine: process.env.ENGINE_URL ?? 'http://127.0.0.1:8080/engine-rest',
  identity: process.env.IDENTITY_URL ?? 'http://127.0.0.1:3001',
  intake: process.env.INTAKE_URL ?? 'http://127.0.0.1:3002',
  approval: process.env.APPROVAL_URL ?? 'http://127.0.0.1:3003',
  supervision: process.env.SUPERVISION_URL ?? 'http://127.0.0.1:3004',
};
const PG = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGSUPERUSER ?? 'postgres' };
// BENCH_DB_SUFFIX: the databases of a side stack (bench/side-stack.ts), e.g. _perf for engine_perf, intake_perf, ...
const DB_SUFFIX = process.env.BENCH_DB_SUFFIX ?? '';
const DATABASES = ['engine', 'intake', 'approval', 'supervision', 'identity'].map((d) => (d === 'identity' ? d : d + DB_SUFFIX));

// The bench drives the local stack only.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
for (const [name, url] of Object.entries(URLS)) {
  if (!LOOPBACK.has(new URL(url).hostname)) throw new Error(`${name} URL ${url} is not a loopback address; the bench only runs against the local stack`);
}
if (!LOOPBACK.has(PG.host)) throw new Error(`PGHOST ${PG.host} is not a loopback address`);

// The flows the bench drives: the demo matter, the window clerk who accepts it, its form, and the officers of each
// step, one per parallel task of the step (joint-review's CoReview runs one task per co-reviewing department, worked
// at once). Candidate groups handler:/section_chief:/leader:${departmentCode}, and handler:<co-department> for a
// co-review (bpmn/skeleton-approval.bpmn, bpmn/joint-review.bpmn). In A the same steps are worked on the engine,
// with the variables approval sets (joint-review gets three co-departments of A's own).
interface Review {
  step: string;
  officers: readonly string[];
  opinion: string;
}
interface FlowSpec {
  bpmn: string;
  processId: string;
  matter: string;
  matterName: string;
  clerk: string;
  form: Record<string, unknown>;
  startVariables: Record<string, string | number>;
  reviews: readonly Review[];
}
const FLOWS: Record<string, FlowSpec> = {
  skeleton: {
    bpmn: 'skeleton-approval.bpmn',
    processId: 'skeleton-approval',
    matter: 'DEMO-SCJG-001',
    matterName: '食品经营许可（演示）',
    clerk: 'clerk.market',
    form: { businessPremises: '示范市东城区孙文中路1号', businessScope: '热食类食品制售' },
    startVariables: {},
    reviews: [
      { step: 'HandlerReview', officers: ['handler.market'], opinion: '材料齐全，符合法定条件，拟同意。' },
      { step: 'ChiefReview', officers: ['chief.market'], opinion: '同意承办人意见。' },
      { step: 'LeaderDecision', officers: ['leader.market'], opinion: '同意，准予许可。' },
    ],
  },
  'joint-review': {
    bpmn: 'joint-review.bpmn',
    processId: 'joint-review',
    matter: 'DEMO-ZRZY-010',
    matterName: '建设项目用地预审与选址意见书核发（并联审批，演示）',
    clerk: 'clerk.resources',
    form: { projectName: '示范市物流园二期', siteArea: 12.5 },
    startVariables: { coDepartments: 'BENCHCO1,BENCHCO2,BENCHCO3', coDepartmentCount: 3 },
    reviews: [
      { step: 'LeadHandlerReview', officers: ['handler.resources'], opinion: '符合国土空间规划，拟分送协办部门会签。' },
      { step: 'CoReview', officers: ['handler.housing', 'handler.ecology', 'handler.police'], opinion: '同意。' },
      { step: 'Consolidate', officers: ['handler.resources'], opinion: '各协办部门均同意，报领导决定。' },
      { step: 'LeaderDecision', officers: ['leader.resources'], opinion: '同意核发。' },
    ],
  },
};
const FLOW_NAME = arg('flow', 'skeleton');
const FLOW = FLOWS[FLOW_NAME];
if (!FLOW) throw new Error(`--flow must be one of ${Object.keys(FLOWS).join(', ')}`);
const MATTER = FLOW.matter;
const REVIEWS = FLOW.reviews;
// zhangsan applies online; with `clerk` the flow's window clerk registers the application on the applicant's behalf.
const APPLICANTS: Record<string, { kind: 'person'; id: string; name: string }> = {
  zhangsan: { kind: 'person', id: '449901198503120015', name: '张三' },
  clerk: { kind: 'person', id: '449901198503120015', name: '张三' },
  'clerk.market': { kind: 'person', id: '449901198503120015', name: '张三' },
};
if (!APPLICANTS[APPLICANT]) throw new Error(`--applicant must be one of ${Object.keys(APPLICANTS).join(', ')}`);
const APPLYING_USER = APPLICANT === 'zhangsan' ? APPLICANT : FLOW.clerk;
const SUPERVISOR = 'supervisor';

// Phase A's own copy of the flow: its process key, worker topic, tenant and department, so nothing of the stack
// (approval's decision worker, the officers' worklists) touches it.
const RUN = randomUUID().slice(0, 8);
const A_KEY = FLOW_NAME === 'skeleton' ? 'bench-throughput-approval' : `bench-throughput-${FLOW_NAME}`;
const A_TOPIC = 'bench-throughput-issue-decision';
const A_TENANT = 'bench-throughput';
const A_DEPARTMENT = 'BENCHTHROUGHPUT0000';
const A_WORKER = `bench-throughput-${RUN}`;

// ---------------------------------------------------------------------------------------------------------------
// Measurement

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}
function summarise(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

class Recorder {
  readonly endpoints = new Map<string, number[]>();
  /** Stretches inside a case (e.g. from the last step's completion to the decision being visible). */
  readonly segments = new Map<string, number[]>();
  record(label: string, ms: number): void {
    push(this.endpoints, label, ms);
  }
  segment(label: string, ms: number): void {
    push(this.segments, label, ms);
  }
}
function push(map: Map<string, number[]>, key: string, value: number): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(value);
}

class HttpError extends Error {
  constructor(
    readonly label: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${label}: HTTP ${status} ${body.slice(0, 400)}`);
  }
}

interface Call {
  /** Service name and route template, e.g. `approval POST /tasks/:taskId/complete`. */
  label: string;
  url: string;
  method: 'GET' | 'POST';
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses that are not errors (returned to the caller); any other non-2xx throws. */
  accept?: number[];
  timeoutMs?: number;
}

async function call<T>(rec: Recorder | undefined, c: Call): Promise<{ status: number; body: T }> {
  const t0 = performance.now();
  let res: Response;
  let text: string;
  try {
    res = await fetch(c.url, {
      method: c.method,
      headers: { ...(c.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(c.headers ?? {}) },
      body: c.body === undefined ? undefined : JSON.stringify(c.body),
      signal: AbortSignal.timeout(c.timeoutMs ?? TIMEOUT_MS),
    });
    text = await res.text();
  } catch (e) {
    // Name the endpoint: a bare "aborted due to timeout" or "fetch failed" says nothing about where.
    throw new Error(`${c.label} (${c.url}): ${e instanceof Error ? e.message : JSON.stringify(e)}`, { cause: e });
  }
  rec?.record(c.label, performance.now() - t0);
  if (!res.ok && !(c.accept ?? []).includes(res.status)) throw new HttpError(c.label, res.status, text);
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until the probe returns a value; bounded by --timeout-ms. */
async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${TIMEOUT_MS} ms waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

async function bearer(username: string): Promise<Record<string, string>> {
  // demoLogin caches each user's tokens and refreshes them shortly before they expire (access tokens live 300 s).
  const { access_token } = await demoLogin(URLS.identity, username);
  return { authorization: `Bearer ${access_token}` };
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL: settings and VACUUM ANALYZE

async function withDb<T>(database: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ ...PG, database });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function serverSettings(): Promise<Record<string, string>> {
  return withDb('postgres', async (c) => {
    const out: Record<string, string> = {};
    out.server_version = (await c.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    for (const name of ['autovacuum', 'fsync', 'synchronous_commit', 'shared_buffers', 'max_connections', 'work_mem']) {
      out[name] = (await c.query<Record<string, string>>(`SHOW ${name}`)).rows[0][name];
    }
    return out;
  });
}

async function vacuumAnalyze(): Promise<number> {
  const t0 = performance.now();
  for (const db of DATABASES) await withDb(db, (c) => c.query('VACUUM ANALYZE'));
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------------------------------------------
// Phase A: the bare engine

/** Deploys the flow under A's key, topic and tenant (unchanged deployments are not redeployed). */
async function deployA(): Promise<void> {
  const xml = readFileSync(join(__dirname, '..', 'bpmn', FLOW.bpmn), 'utf8');
  const rewritten = xml.replaceAll(`"${FLOW.processId}"`, `"${A_KEY}"`).replaceAll('camunda:topic="issue-decision"', `camunda:topic="${A_TOPIC}"`);
  if (!rewritten.includes(`id="${A_KEY}"`) || !rewritten.includes(`camunda:topic="${A_TOPIC}"`)) {
    throw new Error(`bpmn/${FLOW.bpmn} changed shape: could not rewrite its process id and external-task topic`);
  }
  const form = new FormData();
  form.set('deployment-name', A_KEY);
  form.set('deployment-source', 'bench/throughput.ts');
  form.set('deploy-changed-only', 'true');
  form.set('tenant-id', A_TENANT);
  form.set(`${A_KEY}.bpmn`, new Blob([rewritten], { type: 'application/xml' }), `${A_KEY}.bpmn`);
  const res = await fetch(`${URLS.engine}/deployment/create`, { method: 'POST', body: form, signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) throw new Error(`deploying ${A_KEY}: HTTP ${res.status} ${await res.text()}`);
}

const typed = (vars: Record<string, string | number>) =>
  Object.fromEntries(Object.entries(vars).map(([k, value]) => [k, { value, type: typeof value === 'number' ? 'Integer' : 'String' }]));

/**
 * The bench's external-task worker for A: one long-polling fetchAndLock loop, as a real worker runs. Stopping lets the
 * poll in flight return (at most LONG_POLL_MS) rather than abandoning it, so no parked request of a finished phase can
 * lock a task of the next one.
 */
const LONG_POLL_MS = 2_000;
class WorkerA {
  private readonly done = new Map<string, number>();
  private readonly waiting = new Map<string, (at: number) => void>();
  private stopping = false;
  private loop?: Promise<void>;
  error?: unknown;

  constructor(private readonly rec: Recorder) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  /** Resolves when the external task of the instance has been completed. */
  completed(processInstanceId: string): Promise<number> {
    const at = this.done.get(processInstanceId);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(processInstanceId);
        reject(new Error(`timed out after ${TIMEOUT_MS} ms waiting for the worker to complete the external task of ${processInstanceId}`));
      }, TIMEOUT_MS);
      this.waiting.set(processInstanceId, (t) => {
        clearTimeout(timer);
        resolve(t);
      });
    });
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        const { body: tasks } = await call<{ id: string; processInstanceId: string; businessKey: string; variables: { decision?: { value: string } } }[]>(
          this.rec,
          {
            label: 'engine POST /external-task/fetchAndLock (long poll)',
            method: 'POST',
            url: `${URLS.engine}/external-task/fetchAndLock`,
            body: {
              workerId: A_WORKER,
              maxTasks: 10,
              usePriority: false,
              asyncResponseTimeout: LONG_POLL_MS,
              topics: [{ topicName: A_TOPIC, lockDuration: 30_000, tenantIdIn: [A_TENANT], variables: ['decision'] }],
            },
            timeoutMs: LONG_POLL_MS + TIMEOUT_MS,
          },
        );
        await Promise.all(
          tasks.map(async (t) => {
            const decision = t.variables.decision?.value === 'rejected' ? 'rejected' : 'approved';
            await call(this.rec, {
              label: 'engine POST /external-task/:id/complete',
              method: 'POST',
              url: `${URLS.engine}/external-task/${t.id}/complete`,
              body: { workerId: A_WORKER, variables: typed({ decision, documentNumber: `${A_TENANT}-${t.businessKey}` }) },
            });
            const at = performance.now();
            this.done.set(t.processInstanceId, at);
            this.waiting.get(t.processInstanceId)?.(at);
            this.waiting.delete(t.processInstanceId);
          }),
        );
      } catch (e) {
        this.error ??= e;
        await sleep(200);
      }
    }
  }
}

async function completeOnEngine(rec: Recorder, taskId: string, variables: Record<string, string | number>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const res = await call<{ type?: string; code?: number; message?: string }>(rec, {
      label: 'engine POST /task/:id/complete',
      method: 'POST',
      url: `${URLS.engine}/task/${taskId}/complete`,
      body: { variables: typed(variables) },
      accept: [500],
    });
    if (res.status < 300) return;
    const conflict = res.body?.type === 'OptimisticLockingException' || res.body?.code === 1;
    if (!conflict || attempt >= 8) throw new Error(`engine POST /task/${taskId}/complete: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    await sleep(20 + Math.floor(Math.random() * 80 * attempt));
  }
}

async function caseA(rec: Recorder, worker: WorkerA, n: number): Promise<void> {
  const businessKey = `BENCH-A-${RUN}-${n}`;
  const { body: instance } = await call<{ id: string }>(rec, {
    label: 'engine POST /process-definition/key/:key/tenant-id/:tenant/start',
    method: 'POST',
    url: `${URLS.engine}/process-definition/key/${A_KEY}/tenant-id/${A_TENANT}/start`,
    // The variables approval starts a case with.
    body: {
      businessKey,
      variables: typed({
        caseNumber: businessKey,
        applicationId: randomUUID(),
        departmentCode: A_DEPARTMENT,
        matterCode: MATTER,
        matterName: FLOW.matterName,
        applicantName: '张三',
        timeLimitWorkingDays: 7,
        ...FLOW.startVariables,
      }),
    },
  });
  for (const review of REVIEWS) {
    // User tasks are created in the transaction that reached them: the next one exists when the call returns.
    const { body: tasks } = await call<{ id: string; taskDefinitionKey: string }[]>(rec, {
      label: 'engine GET /task?processInstanceId=',
      method: 'GET',
      url: `${URLS.engine}/task?processInstanceId=${instance.id}`,
    });
    if (tasks.length !== review.officers.length || tasks.some((t) => t.taskDefinitionKey !== review.step))
      throw new Error(`A ${businessKey}: expected ${review.officers.length} × ${review.step} open, found ${tasks.map((t) => t.taskDefinitionKey).join(', ') || 'none'}`);
    // The tasks of a step run at once (a joint review's co-reviews) are worked at once, by their officers.
    await Promise.all(
      tasks.map(async (task, i) => {
        const officer = review.officers[i];
        await call(rec, { label: 'engine POST /task/:id/claim', method: 'POST', url: `${URLS.engine}/task/${task.id}/claim`, body: { userId: officer } });
        // The variables approval completes a step with (the engine's optimistic lock may roll back one of two
        // completions of tasks of one instance at the same moment: tried again, as approval does).
        await completeOnEngine(rec, task.id, { [`${review.step}Outcome`]: 'approve', [`${review.step}Officer`]: officer, [`${review.step}CompletionId_${task.id}`]: randomUUID(), decision: 'approved' });
      }),
    );
  }
  const lastStep = performance.now();
  rec.segment('external task completed, after the last step', (await worker.completed(instance.id)) - lastStep);
}

// ---------------------------------------------------------------------------------------------------------------
// Phase B: the platform

interface WorkItem {
  taskId: string;
  caseNumber: string;
  step: string;
}
interface StepView {
  taskDefinitionKey: string;
  closedAt: string | null;
}

async function caseB(rec: Recorder): Promise<void> {
  const { body: accepted } = await call<{ caseNumber: string; applicationId: string }>(rec, {
    label: 'intake POST /applications',
    method: 'POST',
    url: `${URLS.intake}/applications`,
    headers: { 'idempotency-key': randomUUID(), ...(await bearer(APPLYING_USER)) },
    body: { matterCode: MATTER, applicant: APPLICANTS[APPLICANT], form: FLOW.form },
  });
  const caseNumber = accepted.caseNumber;
  // Intake receives (接件) first; the case starts when the window accepts (受理).
  await call(rec, {
    label: 'intake POST /applications/:id/accept',
    method: 'POST',
    url: `${URLS.intake}/applications/${accepted.applicationId}/accept`,
    headers: { 'idempotency-key': randomUUID(), ...(await bearer(FLOW.clerk)) },
    body: {},
  });
  const applied = performance.now();
  for (const review of REVIEWS) {
    // Each officer of the step works their own task of it, at once (a joint review's co-reviewing departments).
    await Promise.all(
      review.officers.map(async (officer) => {
        const auth = await bearer(officer);
        const item = await until(`${review.step} of ${caseNumber} in the worklist of ${officer}`, async () => {
          const { body } = await call<WorkItem[]>(rec, { label: 'approval GET /worklist', method: 'GET', url: `${URLS.approval}/worklist?caseNumber=${caseNumber}`, headers: auth });
          return body.find((w) => w.caseNumber === caseNumber && w.step === review.step);
        });
        if (review === REVIEWS[0]) rec.segment('first step in the worklist, after the application was accepted', performance.now() - applied);
        if (CLAIM)
          await call(rec, { label: 'approval POST /tasks/:taskId/claim', method: 'POST', url: `${URLS.approval}/tasks/${item.taskId}/claim`, headers: auth });
        await call(rec, {
          label: 'approval POST /tasks/:taskId/complete',
          method: 'POST',
          url: `${URLS.approval}/tasks/${item.taskId}/complete`,
          headers: { 'idempotency-key': randomUUID(), ...auth },
          body: { outcome: 'approve', opinion: review.opinion },
        });
      }),
    );
  }
  const lastStep = performance.now();
  const supervisor = await bearer(SUPERVISOR);
  const [decided, closed] = await Promise.all([
    until(`approval to show the decision of ${caseNumber}`, async () => {
      const { body } = await call<{ status: string }>(rec, {
        label: 'approval GET /cases/:caseNumber',
        method: 'GET',
        url: `${URLS.approval}/cases/${caseNumber}`,
        headers: supervisor,
      });
      return body.status === 'decided' ? performance.now() : undefined;
    }),
    until(`supervision to show every step of ${caseNumber} closed`, async () => {
      const { status, body } = await call<StepView[]>(rec, {
        label: 'supervision GET /cases/:caseNumber/steps',
        method: 'GET',
        url: `${URLS.supervision}/cases/${caseNumber}/steps`,
        headers: supervisor,
        accept: [404], // no step recorded yet
      });
      if (status !== 200) return undefined;
      const closed = new Set(body.filter((s) => s.closedAt !== null).map((s) => s.taskDefinitionKey));
      return REVIEWS.every((r) => closed.has(r.step)) && body.every((s) => s.closedAt !== null) ? performance.now() : undefined;
    }),
  ]);
  rec.segment('decision visible in approval, after the last step', decided - lastStep);
  rec.segment('every step closed in supervision, after the last step', closed - lastStep);
}

// ---------------------------------------------------------------------------------------------------------------
// Phases

type Kind = 'A' | 'B';
interface PhaseResult {
  kind: Kind;
  label: string;
  clients: number;
  cases: number;
  failed: number;
  error?: string;
  wallSeconds: number;
  casesPerSecond: number;
  perCase: Summary;
  endpoints: Record<string, Summary>;
  segments: Record<string, Summary>;
  vacuumMs: number;
  loadavg: number[];
  /** CPU seconds each stack component's process tree spent during the phase (bench/cpu-accounting.ts). */
  cpu: CpuSnapshot;
}

let sequence = 0;
const ROOTS = stackRoots(join(__dirname, '..'));

async function runPhase(kind: Kind, label: string, clients: number, cases: number, measured = true): Promise<PhaseResult> {
  const vacuumMs = measured ? await vacuumAnalyze() : 0;
  // Fresh tokens for everyone before the clock starts (a refresh inside a case would count against it).
  await Promise.all([...new Set([APPLYING_USER, FLOW.clerk, ...REVIEWS.flatMap((r) => r.officers), SUPERVISOR])].map((u) => bearer(u)));
  const rec = new Recorder();
  const worker = new WorkerA(rec);
  if (kind === 'A') worker.start();
  const perCase: number[] = [];
  let next = 0;
  let failed = 0;
  let firstError: unknown;
  const cpuBefore = cpuSnapshot(ROOTS);
  const t0 = performance.now();
  let wallSeconds = 0;
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        // A phase stops at its first failure: the clients finish the case in hand and take no new one.
        while (next < cases && firstError === undefined) {
          const n = sequence++;
          next++;
          const started = performance.now();
          try {
            if (kind === 'A') await caseA(rec, worker, n);
            else await caseB(rec);
            perCase.push(performance.now() - started);
          } catch (e) {
            failed++;
            firstError ??= e;
          }
        }
      }),
    );
  } finally {
    wallSeconds = (performance.now() - t0) / 1000;
    if (kind === 'A') await worker.stop();
  }
  const cpu = cpuDelta(cpuBefore, cpuSnapshot(ROOTS));
  if (firstError === undefined && worker.error !== undefined) firstError = worker.error;
  const endpoints = Object.fromEntries([...rec.endpoints].map(([k, v]) => [k, summarise(v)]));
  const segments = Object.fromEntries([...rec.segments].map(([k, v]) => [k, summarise(v)]));
  return {
    kind,
    label,
    clients,
    cases: perCase.length,
    failed,
    error: firstError === undefined ? undefined : firstError instanceof Error ? firstError.message : JSON.stringify(firstError),
    wallSeconds,
    casesPerSecond: perCase.length / wallSeconds,
    perCase: summarise(perCase),
    endpoints,
    segments,
    vacuumMs,
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
    cpu,
  };
}

/** CPU milliseconds per finished case of each component, largest first, and their sum. */
function cpuPerCase(p: PhaseResult): string {
  const n = Math.max(1, p.cases);
  const entries = Object.entries(p.cpu).sort(([, a], [, b]) => b - a);
  const total = entries.reduce((sum, [, v]) => sum + v, 0);
  return `  CPU per case: ${(total * 1000 / n).toFixed(0)} ms in all (${entries.map(([k, v]) => `${k} ${(v * 1000 / n).toFixed(0)}`).join(', ')}); ${(total / p.wallSeconds).toFixed(2)} of ${cpus().length} cores busy`;
}

// ---------------------------------------------------------------------------------------------------------------
// Output

const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 1 : 0)} ms` : '—');
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? pad(c, widths[i]) : lpad(c, widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function printPhase(p: PhaseResult): void {
  console.log(
    `\n${p.label}: ${p.cases} cases${p.failed ? ` (${p.failed} FAILED)` : ''} in ${p.wallSeconds.toFixed(1)} s = ${p.casesPerSecond.toFixed(2)} cases/s; ` +
      `per case p50 ${ms(p.perCase.p50)}, p99 ${ms(p.perCase.p99)}, max ${ms(p.perCase.max)} ` +
      `(VACUUM ANALYZE before: ${(p.vacuumMs / 1000).toFixed(1)} s; load average after ${p.loadavg.join(' ')})`,
  );
  if (p.error) console.log(`  first failure: ${p.error}`);
  console.log(cpuPerCase(p));
  const rows = (m: Record<string, Summary>) =>
    Object.entries(m)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, s]) => [`  ${k}`, String(s.n), ms(s.p50), ms(s.p99), ms(s.max)]);
  console.log(table(['  endpoint (the long poll includes its idle wait)', 'calls', 'p50', 'p99', 'max'], rows(p.endpoints)));
  console.log(table(['  within a case', 'cases', 'p50', 'p99', 'max'], rows(p.segments)));
}

const TARGET_RATIO: Record<number, number> = { 1: 0.5, 4: 0.7 };
const TARGET_STEP_P99_MS: Record<number, number> = { 4: 150 };
const STEP_COMPLETION = 'approval POST /tasks/:taskId/complete';

interface Comparison {
  clients: number;
  a1: PhaseResult;
  b: PhaseResult;
  a2: PhaseResult;
  aMeanCasesPerSecond: number;
  ratio: number;
  ratioTarget?: number;
  ratioPass?: boolean;
  stepP99: number;
  stepP99Target?: number;
  stepP99Pass?: boolean;
}

function verdict(pass: boolean | undefined, target: string): string {
  return pass === undefined ? '—' : `${target} ${pass ? 'PASS' : 'FAIL'}`;
}

function printSummary(comparisons: Comparison[]): void {
  console.log('\n=== Summary: B (platform) against the mean of the two A runs (bare engine) ===');
  console.log(
    table(
      [
        'clients',
        'A1 cases/s',
        'A2 cases/s',
        'A mean',
        'B cases/s',
        'B/A',
        'target B/A',
        'A case p50/p99',
        'B case p50/p99',
        'B step completion p99',
        'target step p99',
      ],
      comparisons.map((c) => [
        String(c.clients),
        c.a1.casesPerSecond.toFixed(2),
        c.a2.casesPerSecond.toFixed(2),
        c.aMeanCasesPerSecond.toFixed(2),
        c.b.casesPerSecond.toFixed(2),
        c.ratio.toFixed(2),
        verdict(c.ratioPass, `≥ ${c.ratioTarget}`),
        `${ms((c.a1.perCase.p50 + c.a2.perCase.p50) / 2)} / ${ms(Math.max(c.a1.perCase.p99, c.a2.perCase.p99))}`,
        `${ms(c.b.perCase.p50)} / ${ms(c.b.perCase.p99)}`,
        ms(c.stepP99),
        verdict(c.stepP99Pass, `≤ ${c.stepP99Target} ms`),
      ]),
    ),
  );
  console.log('(A case p50 is the mean of the two runs, A case p99 the larger; a run with failures does not meet its target.)');
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const hardStop = setTimeout(() => {
    console.error(`\nbench: still running after --max-minutes ${MAX_MINUTES}; stopping`);
    process.exit(2);
  }, MAX_MINUTES * 60_000);
  hardStop.unref();

  const started = Date.now();
  const cpu = cpus();
  const engineVersion = (await call<{ version: string }>(undefined, { label: 'version', method: 'GET', url: `${URLS.engine}/version` })).body.version;
  const settings = await serverSettings();
  const machine = {
    cores: cpu.length,
    cpu: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    camunda: engineVersion,
  };
  console.log(
    `throughput bench ${new Date().toISOString()}: flow ${FLOW_NAME} (${MATTER}, steps ${REVIEWS.map((r) => (r.officers.length > 1 ? `${r.step}×${r.officers.length}` : r.step)).join(' → ')}); ${CASES} cases per phase at ${CLIENTS.join(', ')} client(s); warm-up ${WARMUP} case(s) each; poll every ${POLL_MS} ms; B claims steps: ${CLAIM ? 'yes' : 'no'}; B applies as ${APPLICANT}`,
  );
  console.log(
    `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB memory (${machine.freeMemoryGiB} free), load average ${machine.loadavg.join(' ')}, Node ${machine.node}, Camunda ${machine.camunda}`,
  );
  console.log(
    `PostgreSQL ${settings.server_version}: ${Object.entries(settings)
      .filter(([k]) => k !== 'server_version')
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  );
  console.log(`VACUUM ANALYZE before each phase on: ${DATABASES.join(', ')}`);

  await deployA();
  if (WARMUP > 0) {
    // Warm-up (not measured): both paths once end to end, which also checks the stack before the long run.
    for (const kind of ['A', 'B'] as const) {
      const w = await runPhase(kind, `warm-up ${kind}`, 1, WARMUP, false);
      if (w.failed) throw new Error(`warm-up ${kind} failed: ${w.error ?? ''}`);
    }
    console.log('warm-up done');
  }

  const comparisons: Comparison[] = [];
  let anyFailure = false;
  for (const clients of CLIENTS) {
    const phases: PhaseResult[] = [];
    for (const [kind, label] of [
      ['A', `A1 (engine) @${clients}`],
      ['B', `B (platform) @${clients}`],
      ['A', `A2 (engine) @${clients}`],
    ] as const) {
      const p = await runPhase(kind, label, clients, CASES);
      printPhase(p);
      phases.push(p);
      anyFailure ||= p.failed > 0;
    }
    const [a1, b, a2] = phases;
    const aMean = (a1.casesPerSecond + a2.casesPerSecond) / 2;
    const ratio = b.casesPerSecond / aMean;
    const clean = phases.every((p) => p.failed === 0);
    const stepP99 = b.endpoints[STEP_COMPLETION]?.p99 ?? NaN;
    const ratioTarget = TARGET_RATIO[clients];
    const stepP99Target = TARGET_STEP_P99_MS[clients];
    comparisons.push({
      clients,
      a1,
      b,
      a2,
      aMeanCasesPerSecond: aMean,
      ratio,
      ratioTarget,
      ratioPass: ratioTarget === undefined ? undefined : clean && ratio >= ratioTarget,
      stepP99,
      stepP99Target,
      stepP99Pass: stepP99Target === undefined ? undefined : clean && stepP99 <= stepP99Target,
    });
  }
  printSummary(comparisons);
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (JSON_OUT) {
    writeFileSync(
      JSON_OUT,
      JSON.stringify(
        {
          at: new Date(started).toISOString(),
          options: { cases: CASES, clients: CLIENTS, warmup: WARMUP, pollMs: POLL_MS, claim: CLAIM, applicant: APPLICANT },
          machine,
          postgres: settings,
          comparisons,
        },
        null,
        2,
      ),
    );
    console.log(`results written to ${JSON_OUT}`);
  }
  if (anyFailure) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
