// Step-event latency, engine → supervision, on the running stack (npm run stack:up first).
// For each step event of the cases this run creates: the time from the engine writing the outbox row (inside the
// transaction that opened or completed the step) to supervision committing the event's inbox row (in the same
// transaction as its effect). Both clocks are PostgreSQL's on this machine.
//   npx tsx bench/step-latency.ts [cases=40] [concurrency=4]
import { randomUUID } from 'node:crypto';
import { demoLogin } from '@gov/auth/testing';
import { Client } from 'pg';

const CASES = Number(process.argv[2] ?? 40);
const CONCURRENCY = Number(process.argv[3] ?? 4);
const INTAKE = process.env.INTAKE_URL ?? 'http://127.0.0.1:3002';
const ENGINE = process.env.ENGINE_URL ?? 'http://127.0.0.1:8080/engine-rest';
const IDENTITY = process.env.IDENTITY_URL ?? 'http://127.0.0.1:3001';
const pg = (database: string) => new Client({ host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: 'postgres', database });

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

let clerkToken: Promise<string> | undefined;

async function oneCase(): Promise<string> {
  // Registered and accepted at the window by the demo market bureau's clerk, for the demo applicant zhangsan.
  clerkToken ??= demoLogin(IDENTITY, 'clerk.market').then((t) => t.access_token);
  const auth = { 'content-type': 'application/json', authorization: `Bearer ${await clerkToken}` };
  const { caseNumber, applicationId } = await json<{ caseNumber: string; applicationId: string }>(
    await fetch(`${INTAKE}/applications`, {
      method: 'POST',
      headers: { ...auth, 'idempotency-key': randomUUID() },
      body: JSON.stringify({ matterCode: 'DEMO-SCJG-001', applicant: { kind: 'person', id: '449901198503120015', name: '张三' }, form: { businessPremises: '示范市东城区孙文中路1号', businessScope: '热食类食品制售' } }),
    }),
  );
  // The case starts on the engine when the window accepts (受理).
  await json(await fetch(`${INTAKE}/applications/${applicationId}/accept`, { method: 'POST', headers: { ...auth, 'idempotency-key': randomUUID() }, body: '{}' }));
  // Walk the three review steps straight on the engine, as fast as the engine allows.
  for (const step of ['HandlerReview', 'ChiefReview', 'LeaderDecision']) {
    const task = await waitFor(async () => {
      const tasks = await json<{ id: string; taskDefinitionKey: string }[]>(
        await fetch(`${ENGINE}/task`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ processInstanceBusinessKey: caseNumber, taskDefinitionKey: step }) }),
      );
      return tasks[0];
    });
    const res = await fetch(`${ENGINE}/task/${task.id}/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ variables: {} }) });
    if (res.status !== 204) throw new Error(`complete ${step}: ${res.status}`);
  }
  return caseNumber;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const started = Date.now();
  const cases: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CASES) {
        next++;
        cases.push(await oneCase());
      }
    }),
  );
  const expected = cases.length * 6; // 3 steps × (opened + completed)
  const engine = pg('engine');
  const supervision = pg('supervision');
  await engine.connect();
  await supervision.connect();
  try {
    const written = await engine.query<{ id: string; created_at: Date }>(
      `SELECT id::text, created_at FROM outbox WHERE topic = 'approval.step.v1' AND key = ANY($1)`,
      [cases],
    );
    // Waits for these very step events (the consumer's inbox also holds the cases' other events: accepted, decided).
    const ids = written.rows.map((r) => r.id);
    const processed = await waitFor(async () => {
      const rows = await supervision.query<{ event_id: string; processed_at: Date }>(
        `SELECT event_id::text, processed_at FROM inbox WHERE consumer = 'supervision.steps' AND event_id::text = ANY($1)`,
        [ids],
      );
      return rows.rows.length >= ids.length && ids.length >= expected ? rows.rows : undefined;
    });
    const at = new Map(processed.map((r) => [r.event_id, r.processed_at.getTime()]));
    const latencies = written.rows.map((r) => (at.get(r.id) ?? NaN) - r.created_at.getTime()).filter(Number.isFinite).sort((a, b) => a - b);
    const out = {
      cases: cases.length,
      concurrency: CONCURRENCY,
      stepEvents: latencies.length,
      expected,
      p50_ms: percentile(latencies, 50),
      p90_ms: percentile(latencies, 90),
      p99_ms: percentile(latencies, 99),
      max_ms: latencies[latencies.length - 1],
      wall_s: (Date.now() - started) / 1000,
    };
    console.log(JSON.stringify(out, null, 2));
    if (latencies.length !== expected) process.exitCode = 1;
  } finally {
    await engine.end();
    await supervision.end();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
