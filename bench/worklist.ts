// Worklist latency (issue 9 §2 target: GET /worklist p99 ≤ 50 ms with 100,000 open tasks).
// Starts an engine of its own (the engine jar, port 8190, database engine_wlbench) and an approval in-process from this
// checkout (a throwaway database, like the integration tests) that relays that engine's outbox to Kafka topics of its
// own (prefix wlbench.) and feeds its worklist read model from them: the real event path, no inserts into open_steps.
// Deploys a one-user-task BPMN for the bench tenant, records N cases (10 matters) in approval and starts N instances
// with many parallel REST starts (candidate groups spread over the demo officers' organisations, limits 0-10 working
// days), waits until the read model holds them all, runs VACUUM ANALYZE (autovacuum is off here), moves approval's
// clock forward 3 days (so the lights are mixed) and measures GET /worklist (several queries) and /worklist/counts for
// several officers: p50/p99/max, with the PostgreSQL settings and the main query's plan.
//   npm run bench:worklist -- [--tasks 100000] [--parallel 16] [--requests 200] [--engine-port 8190] [--keep-engine]
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_TOPICS } from '@gov/contracts';
import { CamundaClient } from '@gov/workflow';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { startTestApproval, tokenOf } from '../apps/approval/src/testing/test-app';
import { AdjustableClock } from '../apps/approval/src/worklist/clock';

const ROOT = resolve(__dirname, '..');
const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? String(args[i + 1]) : fallback;
};
const TASKS = Number(arg('tasks', '100000'));
const PARALLEL = Number(arg('parallel', '16'));
const REQUESTS = Number(arg('requests', '200'));
const ENGINE_PORT = Number(arg('engine-port', '8190'));
const ENGINE_URL = `http://127.0.0.1:${ENGINE_PORT}/engine-rest`;
const ENGINE_DB = 'engine_wlbench';
const PREFIX = 'wlbench.';
const TENANT = 'wlbench';
const KEY = 'bench-worklist';
const JAR = process.env.ENGINE_JAR ?? [join(ROOT, 'apps/engine/target/engine.jar'), '/work/main/apps/engine/target/engine.jar'].find((p) => existsSync(p)) ?? '';
const PG = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGSUPERUSER ?? 'postgres' };
const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const OFFICERS = ['handler.market', 'chief.market', 'handler.resources'];
const MATTERS = Array.from({ length: 10 }, (_, i) => ({ code: `WLB-M${i}`, name: `基准事项${i}` }));

async function sql<T = Record<string, unknown>>(database: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ ...PG, database });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function bpmn(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://gov/bench">
  <bpmn:process id="${KEY}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="Start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="HandlerReview" name="承办人审查" camunda:candidateGroups="\${group}">
      <bpmn:extensionElements><camunda:properties>
        <camunda:property name="timeLimitWorkingDays" value="5" /><camunda:property name="timeLimitVariable" value="limitDays" />
      </camunda:properties></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="End"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="HandlerReview" />
    <bpmn:sequenceFlow id="f2" sourceRef="HandlerReview" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
}

async function startEngine(): Promise<ChildProcess | undefined> {
  const up = await fetch(`${ENGINE_URL}/version`).then((r) => r.ok).catch(() => false);
  if (up) {
    console.log(`engine: already answering on ${ENGINE_PORT} (reused)`);
    return undefined;
  }
  if (!JAR) throw new Error('no engine jar (build apps/engine, or set ENGINE_JAR)');
  if ((await sql('postgres', `SELECT 1 FROM pg_database WHERE datname = $1`, [ENGINE_DB])).length === 0) await sql('postgres', `CREATE DATABASE ${ENGINE_DB} OWNER camunda`);
  mkdirSync(join(ROOT, '.side-stack'), { recursive: true });
  const log = openSync(join(ROOT, '.side-stack/bench-worklist-engine.log'), 'a');
  const child = spawn('java', ['-Xmx512m', '-XX:+UseSerialGC', '-XX:+ExitOnOutOfMemoryError', '-jar', JAR, '--spring.profiles.active=local'], {
    cwd: ROOT,
    env: { ...process.env, ENGINE_PORT: String(ENGINE_PORT), ENGINE_DB_URL: `jdbc:postgresql://${PG.host}:${PG.port}/${ENGINE_DB}` },
    stdio: ['ignore', log, log],
  });
  const until = Date.now() + 240_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error('engine exited; see .side-stack/bench-worklist-engine.log');
    if (await fetch(`${ENGINE_URL}/version`).then((r) => r.ok).catch(() => false)) break;
    await sleep(1000);
  }
  await sql(ENGINE_DB, 'GRANT SELECT, UPDATE, DELETE ON outbox TO gov_app');
  console.log(`engine: started (pid ${child.pid}) on ${ENGINE_PORT}, database ${ENGINE_DB}`);
  return child;
}

async function ensureTopics(): Promise<void> {
  const admin = new Kafka({ clientId: 'bench-worklist', brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = ALL_TOPICS.filter((t) => !existing.has(PREFIX + t.name));
    if (missing.length > 0) {
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((t) => ({ topic: PREFIX + t.name, numPartitions: t.partitions, replicationFactor: 1 })) });
    }
  } finally {
    await admin.disconnect();
  }
}

async function timed(n: number, call: () => Promise<Response>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await call();
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  console.log(`worklist bench: ${TASKS} open tasks, ${PARALLEL} parallel starts, ${REQUESTS} requests per query and officer`);
  const engineProcess = await startEngine();
  const clock = new AdjustableClock();
  await ensureTopics();
  const t = await startTestApproval(
    { ENGINE_URL, ENGINE_DB, ENGINE_OUTBOX_RELAY: 'true', KAFKA_TOPIC_PREFIX: PREFIX, WORKLIST_RECONCILE: 'false', LOG_LEVEL: 'warn' },
    { clock },
  );
  const engine = new CamundaClient({ baseUrl: ENGINE_URL });
  try {
    // the officers' organisations, for the candidate groups of the seeded steps
    const tokens = await Promise.all(OFFICERS.map((u) => tokenOf(u)));
    const orgs = [...new Set(tokens.flatMap((tk) => (JSON.parse(Buffer.from(tk.split('.')[1] ?? '', 'base64url').toString()) as { orgs: string[] }).orgs))];
    // groups the officers are in, and a few nobody here is in (other organisations' work)
    const groups = [...orgs.flatMap((o) => [`handler:${o}`, `section_chief:${o}`]), 'handler:OTHER-1', 'handler:OTHER-2'];
    await engine.deploy({ name: KEY, tenantId: TENANT, source: 'bench-worklist', files: [{ name: `${KEY}.bpmn`, content: bpmn() }] });
    const run = Date.now().toString(36).toUpperCase();
    const caseNumber = (i: number) => `WLB${run}-20261203-${String(i).padStart(7, '0')}`;
    await t.ownerQuery(
      `INSERT INTO cases (case_number, application_id, tenant_id, matter_code, matter_name, department_code, process_key, status, accepted_at)
       SELECT $1 || lpad(g::text, 7, '0'), gen_random_uuid(), $2, 'WLB-M' || (g % 10), '基准事项' || (g % 10), $3, $4, 'accepted', now() FROM generate_series(0, $5 - 1) g`,
      [`WLB${run}-20261203-`, TENANT, orgs[0], KEY, TASKS],
    );

    // seed through the engine: N parallel starts; the engine outbox → approval's relay → Kafka → the worklist inbox
    const seeded = Date.now();
    let next = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        for (let i = next++; i < TASKS; i = next++) {
          const variables = { group: groups[i % groups.length], limitDays: i % 11 };
          for (let attempt = 0; ; attempt++) {
            try {
              await engine.startByKey(KEY, { businessKey: caseNumber(i), tenantId: TENANT, variables });
              break;
            } catch {
              if (attempt >= 3) {
                failed++;
                break;
              }
              await sleep(200 * (attempt + 1));
            }
          }
          if (i > 0 && i % 10_000 === 0) console.log(`  started ${i} (${Math.round(i / ((Date.now() - seeded) / 1000))}/s)`);
        }
      }),
    );
    const startedIn = Date.now() - seeded;
    console.log(`started ${TASKS - failed} instances in ${startedIn} ms (${Math.round(((TASKS - failed) * 1000) / startedIn)}/s), ${failed} failed`);
    for (;;) {
      const [{ n }] = await t.ownerQuery<{ n: string }>(`SELECT count(*)::text AS n FROM open_steps WHERE process_definition_id LIKE $1`, [`${KEY}:%`]);
      if (Number(n) >= TASKS - failed) break;
      if (Date.now() - seeded > 3_600_000) throw new Error(`read model holds ${n} of ${TASKS - failed} after an hour`);
      await sleep(2000);
    }
    const fedIn = Date.now() - seeded;
    console.log(`read model holds all ${TASKS - failed} steps ${fedIn} ms after the first start (events → open_steps ${Math.round(((TASKS - failed) * 1000) / fedIn)}/s end to end)`);

    // measure
    await t.superQuery(`VACUUM ANALYZE open_steps`);
    await t.superQuery(`VACUUM ANALYZE cases`);
    await t.superQuery(`VACUUM ANALYZE inbox`).catch(() => undefined);
    clock.advance(3 * 24 * 3600 * 1000);
    const settings = await t.superQuery<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name IN ('autovacuum', 'fsync', 'synchronous_commit', 'shared_buffers', 'work_mem', 'effective_cache_size', 'max_connections', 'random_page_cost', 'jit') ORDER BY name`,
    );
    const [{ version }] = await t.superQuery<{ version: string }>(`SELECT version()`);
    console.log(`PostgreSQL: ${version}`);
    console.log(`settings: ${settings.map((s) => `${s.name}=${s.setting}${s.unit ?? ''}`).join(', ')}`);
    const lights = await t.ownerQuery<Record<string, string>>(
      `SELECT count(*) FILTER (WHERE deadline < $1) AS red, count(*) FILTER (WHERE deadline >= $1 AND yellow_at <= $1) AS yellow, count(*) AS total FROM open_steps`,
      [clock.now()],
    );
    console.log(`open_steps: ${JSON.stringify(lights[0])} (clock moved 3 days on)`);
    const queries = ['', 'sort=deadline', 'light=red', 'light=yellow&sort=deadline', `matter=${MATTERS[3]?.code ?? ''}`, 'assignee=unassigned&limit=200', 'offset=5000'];
    const rows: string[] = [];
    for (const username of OFFICERS) {
      // a fresh token per officer: the seeding outlasts the first ones
      const token = await tokenOf(username);
      for (const q of queries) {
        const get = () => fetch(`${t.url}/worklist?${q}`, { headers: { authorization: `Bearer ${token}` } });
        const first = await get();
        const visible = first.headers.get('x-total-count');
        await first.arrayBuffer();
        const ms = await timed(REQUESTS, get);
        rows.push(`${username.padEnd(18)} GET /worklist?${q.padEnd(32)} total ${String(visible).padStart(6)}  p50 ${percentile(ms, 50).toFixed(1)} ms  p99 ${percentile(ms, 99).toFixed(1)} ms  max ${(ms[ms.length - 1] ?? NaN).toFixed(1)} ms`);
      }
      for (const q of ['', `matter=${MATTERS[3]?.code ?? ''}`]) {
        const ms = await timed(REQUESTS, () => fetch(`${t.url}/worklist/counts?${q}`, { headers: { authorization: `Bearer ${token}` } }));
        rows.push(`${username.padEnd(18)} GET /worklist/counts?${q.padEnd(25)}               p50 ${percentile(ms, 50).toFixed(1)} ms  p99 ${percentile(ms, 99).toFixed(1)} ms  max ${(ms[ms.length - 1] ?? NaN).toFixed(1)} ms`);
      }
    }
    console.log(rows.join('\n'));
    const plan = await t.ownerQuery<{ 'QUERY PLAN': string }>(
      `EXPLAIN ANALYZE SELECT task_id FROM open_steps WHERE candidate_groups && $1::text[] ORDER BY opened_at, task_id LIMIT 50`,
      [[groups[0], groups[1]]],
    );
    console.log('GET /worklist plan (two groups):\n  ' + plan.map((p) => p['QUERY PLAN']).join('\n  '));
    const countPlan = await t.ownerQuery<{ 'QUERY PLAN': string }>(
      `EXPLAIN ANALYZE SELECT matter_code, count(*) FROM open_steps WHERE candidate_groups && $1::text[] GROUP BY matter_code`,
      [[groups[0], groups[1]]],
    );
    console.log('GET /worklist/counts plan (two groups):\n  ' + countPlan.map((p) => p['QUERY PLAN']).join('\n  '));
  } finally {
    await t.close();
    if (engineProcess && !args.includes('--keep-engine')) {
      engineProcess.kill('SIGTERM');
      await new Promise((r) => engineProcess.once('exit', r));
      await sql('postgres', `DROP DATABASE IF EXISTS ${ENGINE_DB} WITH (FORCE)`);
      console.log('engine: stopped, database dropped');
    }
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
