// A second copy of the platform, built from this checkout, beside the running stack (which other people use and
// which runs another checkout's code): its own engine (port 8180, database engine<suffix>), intake, approval and
// supervision (ports 3102-3104, databases <name><suffix>), Kafka topics and consumer groups (prefix <suffix>.), on the stack's
// PostgreSQL and Kafka; tokens come from the stack's identity (3001). Nothing of the stack's is touched, so a branch
// can be benchmarked (bench/throughput.ts) while the stack keeps serving.
//   npx tsx bench/side-stack.ts up|down [--suffix _perf] [--no-build]
//   then: ENGINE_URL=http://127.0.0.1:8180/engine-rest INTAKE_URL=http://127.0.0.1:3102 APPROVAL_URL=http://127.0.0.1:3103 \
//         SUPERVISION_URL=http://127.0.0.1:3104 BENCH_DB_SUFFIX=_perf npx tsx bench/throughput.ts
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_TOPICS } from '@gov/contracts';
import { CamundaClient } from '@gov/workflow';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { NODE_ENV_MEMORY, NODE_FLAGS as STACK_NODE_FLAGS } from '../tools/stack/components/services';

const ROOT = resolve(__dirname, '..');
const args = process.argv.slice(2);
const cmd = args[0] ?? 'up';
const suffix = args.includes('--suffix') ? String(args[args.indexOf('--suffix') + 1]) : '_perf';
if (!/^_[a-z0-9_]+$/.test(suffix)) throw new Error('--suffix: an underscore, then lower-case letters, digits, underscores');
const STATE = join(ROOT, '.side-stack');
mkdirSync(STATE, { recursive: true });
const PG = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGSUPERUSER ?? 'postgres' };
const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const ENGINE_PORT = Number(process.env.SIDE_ENGINE_PORT ?? 8180);
const ENGINE_URL = `http://127.0.0.1:${ENGINE_PORT}/engine-rest`;
const TOPIC_PREFIX = `${suffix.slice(1)}.`;
const JAR = process.env.ENGINE_JAR ?? join(ROOT, 'apps/engine/target/engine.jar');
/** As tools/stack/components/services.ts starts them. */
// The stack's own memory settings (tools/stack/components/services.ts), unless SIDE_NODE_FLAGS says otherwise.
const NODE_FLAGS = process.env.SIDE_NODE_FLAGS ? process.env.SIDE_NODE_FLAGS.split(/\s+/).filter(Boolean) : STACK_NODE_FLAGS;
const SERVICES = [
  { name: 'intake', port: 3102, env: { INTAKE_PORT: '3102', INTAKE_DB: `intake${suffix}` } },
  {
    name: 'approval',
    port: 3103,
    env: { APPROVAL_PORT: '3103', APPROVAL_DB: `approval${suffix}`, ENGINE_URL, ENGINE_DB: `engine${suffix}` },
  },
  { name: 'supervision', port: 3104, env: { SUPERVISION_PORT: '3104', SUPERVISION_DB: `supervision${suffix}`, ENGINE_URL, CLOCK_CONTROL_ENABLED: 'true' } },
];

async function sql(database: string, text: string): Promise<{ rows: Record<string, unknown>[] }> {
  const c = new Client({ ...PG, database });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

async function ensureDatabase(name: string, owner: string, appRole?: string): Promise<void> {
  if ((await sql('postgres', `SELECT 1 FROM pg_database WHERE datname = '${name}'`)).rows.length === 0) await sql('postgres', `CREATE DATABASE ${name} OWNER ${owner}`);
  if (!appRole) return;
  await sql(name, `REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT ALL ON SCHEMA public TO ${owner}`);
  await sql(
    name,
    `GRANT CONNECT ON DATABASE ${name} TO ${appRole}; GRANT USAGE ON SCHEMA public TO ${appRole};
     ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${appRole};
     ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${appRole};`,
  );
}

function pidFile(name: string): string {
  return join(STATE, `${name}${suffix}.pid`);
}

function alive(name: string): number | undefined {
  if (!existsSync(pidFile(name))) return undefined;
  const pid = Number(readFileSync(pidFile(name), 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

function daemon(name: string, command: string, argv: string[], env: Record<string, string | undefined>): void {
  if (alive(name)) return;
  const out = openSync(join(STATE, `${name}${suffix}.log`), 'a');
  const child = spawn(command, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', out, out], detached: true });
  child.unref();
  writeFileSync(pidFile(name), String(child.pid));
  console.log(`${name}: started, pid ${child.pid}, log .side-stack/${name}${suffix}.log`);
}

async function waitFor(name: string, url: string, seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    if (!alive(name)) throw new Error(`${name} exited; see .side-stack/${name}${suffix}.log`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${name}: not healthy after ${seconds} s`);
}

async function up(): Promise<void> {
  // the engine
  await ensureDatabase(`engine${suffix}`, 'camunda');
  if (!existsSync(JAR)) throw new Error(`${JAR} is missing (build apps/engine, or set ENGINE_JAR)`);
  daemon('engine', 'java', ['-Xmx384m', '-XX:+UseSerialGC', '-XX:+ExitOnOutOfMemoryError', '-jar', JAR, '--spring.profiles.active=local'], {
    ENGINE_PORT: String(ENGINE_PORT),
    ENGINE_DB_URL: `jdbc:postgresql://${PG.host}:${PG.port}/engine${suffix}`,
  });
  await waitFor('engine', `${ENGINE_URL}/version`, 180);
  const engine = new CamundaClient({ baseUrl: ENGINE_URL });
  const files = ['skeleton-approval.bpmn'].map((f) => ({ name: f, content: readFileSync(join(ROOT, 'bpmn', f), 'utf8') }));
  for (const f of spawnSync('ls', [join(ROOT, 'bpmn')], { encoding: 'utf8' }).stdout.split('\n').filter((x) => x.endsWith('.bpmn') && !files.some((g) => g.name === x))) {
    files.push({ name: f, content: readFileSync(join(ROOT, 'bpmn', f), 'utf8') });
  }
  await engine.deploy({ name: 'gov-flows', tenantId: process.env.DEMO_TENANT ?? '449900', source: 'side-stack', files });
  await sql(`engine${suffix}`, 'GRANT SELECT, UPDATE, DELETE ON outbox TO gov_app');
  // topics
  const admin = new Kafka({ clientId: 'side-stack', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = ALL_TOPICS.map((t) => ({ ...t, name: TOPIC_PREFIX + t.name })).filter((t) => !existing.has(t.name));
    if (missing.length) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: String(t.retentionMs) }] })),
      });
    }
  } finally {
    await admin.disconnect();
  }
  // the services
  for (const s of SERVICES) await ensureDatabase(s.env[`${s.name.toUpperCase()}_DB` as keyof typeof s.env] as string, 'gov_owner', 'gov_app');
  if (!args.includes('--no-build')) {
    const b = spawnSync(join(ROOT, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '-p', SERVICES.map((s) => s.name).join(','), '--outputStyle=static'], {
      cwd: ROOT,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      stdio: 'inherit',
    });
    if (b.status !== 0) throw new Error('build failed');
  }
  for (const s of SERVICES) {
    daemon(s.name, process.execPath, [...NODE_FLAGS, join(ROOT, 'dist', s.name, 'apps', s.name, 'src', 'main.js')], {
      NODE_ENV: 'development',
      ...NODE_ENV_MEMORY,
      PGHOST: PG.host,
      PGPORT: String(PG.port),
      KAFKA_BROKERS,
      // its own topics and its own consumer groups: a member in the stack's groups would take the stack's partitions
      KAFKA_TOPIC_PREFIX: TOPIC_PREFIX,
      KAFKA_GROUP_PREFIX: TOPIC_PREFIX,
      // its chains are not the stack's: anchoring them at the shared identity would collide with the stack's own heads
      LEDGER_ANCHORING: 'off',
      ...s.env,
    });
  }
  for (const s of SERVICES) await waitFor(s.name, `http://127.0.0.1:${s.port}/health/ready`, 120);
  console.log(
    `side stack up. ENGINE_URL=${ENGINE_URL} INTAKE_URL=http://127.0.0.1:3102 APPROVAL_URL=http://127.0.0.1:3103 SUPERVISION_URL=http://127.0.0.1:3104 BENCH_DB_SUFFIX=${suffix} npx tsx bench/throughput.ts`,
  );
}

async function down(): Promise<void> {
  for (const name of [...SERVICES.map((s) => s.name), ...(args.includes('--keep-engine') ? [] : ['engine'])]) {
    const pid = alive(name);
    if (!pid) continue;
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 60 && alive(name); i += 1) await new Promise((r) => setTimeout(r, 500));
    if (alive(name)) process.kill(pid, 'SIGKILL');
    console.log(`${name}: stopped`);
  }
}

(cmd === 'down' ? down() : up()).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
