import { randomUUID } from 'node:crypto';
import { type Child, buildApproval, createCrashDatabase, dropCrashDatabase, freePort, ready as childReady, removeBuild, sql, startApprovalChild, stopChild } from '../testing/crash-harness';
import { type TestFlow, deployTestFlow, startTestCase, tokenOf } from '../testing/test-app';

// kill -9 between the engine's completion and the confirmation, over many concurrent cases: approval runs as a child
// process (testing/crash-harness.ts) with the test-only fault hook, is restarted after each kill, and its reconciler
// finishes what the crash left. Pass: every opinion present once, every case at its next step.

const CASES = 40;
/** Restarts keep the fault hook until this many kills (a restart with less work left than KILL_AFTER survives). */
const KILLS = 2;
const KILL_AFTER = 4;
let DATABASE: string;

let flow: TestFlow;
let port: number;
let build: string;
let child: Child | undefined;

function startApproval(fault: number, faultAfterRecord = 0, extra: Record<string, string> = {}): Child {
  return startApprovalChild(build, DATABASE, port, {
    APPROVAL_FAULT_KILL_AFTER_ENGINE_COMPLETE: String(fault),
    APPROVAL_FAULT_KILL_AFTER_RECORD: String(faultAfterRecord),
    ...extra,
  });
}

const ready = (c: Child) => childReady(c, port);

beforeAll(async () => {
  DATABASE = await createCrashDatabase('approval_crash');
  flow = await deployTestFlow();
  port = await freePort();
  build = buildApproval();
});

afterAll(async () => {
  await stopChild(child);
  await flow?.remove();
  await dropCrashDatabase(DATABASE);
  removeBuild(build);
});

function completeOnce(taskId: string, caseNumber: string, key: string, token: string): Promise<{ status: number | 'no answer'; body: Record<string, unknown>; replayed: boolean }> {
  return fetch(`http://127.0.0.1:${port}/tasks/${taskId}/complete`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ outcome: 'approve', opinion: `案件 ${caseNumber} 材料齐全，拟同意。` }),
  })
    .then(async (res) => ({ status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown>, replayed: res.headers.get('idempotent-replayed') === 'true' }))
    .catch(() => ({ status: 'no answer' as const, body: {}, replayed: false }));
}

async function nothingPending(): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await sql<{ n: number }>(DATABASE, 'gov_owner', `SELECT count(*)::int AS n FROM pending_completions WHERE status = 'pending'`))[0]?.n !== 0) {
    if (Date.now() > deadline) {
      const left = await sql(DATABASE, 'gov_owner', `SELECT task_id, attempts, lease_until, reason FROM pending_completions WHERE status = 'pending'`);
      throw new Error(`pending completions left: ${JSON.stringify(left)}\n${child?.output() ?? ''}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('step completion under kill -9', () => {
  it('loses no opinion and doubles none when approval is killed between the engine completion and the confirmation', async () => {
    // given: approval with the fault hook, and CASES cases at their first step
    child = startApproval(KILL_AFTER);
    await ready(child);
    const handler = await tokenOf('handler.market');
    const cases = [];
    for (let i = 0; i < CASES; i += 1) cases.push(await startTestCase(flow, (text, params) => sql(DATABASE, 'gov_owner', text, params)));
    const requests = new Map(cases.map((c) => [c.taskId, { case: c, key: randomUUID(), result: undefined as Record<string, unknown> | undefined }]));

    // when: all completions at once; after each kill, restart and retry what was not answered, with the same keys
    let kills = 0;
    let replayed = 0;
    for (let round = 1; round <= 10 && [...requests.values()].some((r) => !r.result); round += 1) {
      const open = [...requests.values()].filter((r) => !r.result);
      const answers = await Promise.all(
        open.map(async (r) => {
          const res = await fetch(`http://127.0.0.1:${port}/tasks/${r.case.taskId}/complete`, {
            method: 'POST',
            headers: { authorization: `Bearer ${handler}`, 'content-type': 'application/json', 'idempotency-key': r.key },
            body: JSON.stringify({ outcome: 'approve', opinion: `案件 ${r.case.caseNumber} 材料齐全，拟同意。` }),
          }).catch(() => undefined);
          if (!res) return 'no answer';
          const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
          if (res.status === 200) {
            r.result = body;
            if (res.headers.get('idempotent-replayed') === 'true') replayed += 1;
            return 200;
          }
          return `${res.status} ${String(body.error)}`;
        }),
      );
      // Only "no answer" (the process died under the request) is an acceptable failure.
      expect(answers.filter((a) => a !== 200 && a !== 'no answer')).toEqual([]);
      const current = child;
      if (!answers.includes('no answer')) continue;
      // A request without an answer means the process died under it (its exit event may arrive a moment later).
      const exit = await Promise.race([current.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 15_000))]);
      if (!exit) throw new Error(`requests went unanswered without a crash:\n${current.output()}`);
      expect(exit.signal).toBe('SIGKILL');
      kills += 1;
      child = startApproval(kills < KILLS ? KILL_AFTER : 0);
      await ready(child);
    }

    // then: every request answered, after at least one crash (later restarts crash again while work is left)
    expect([...requests.values()].filter((r) => !r.result).map((r) => r.case.caseNumber)).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(1);
    // the reconciler leaves nothing pending
    const deadline = Date.now() + 30_000;
    while ((await sql<{ n: number }>(DATABASE, 'gov_owner', `SELECT count(*)::int AS n FROM pending_completions WHERE status = 'pending'`))[0]?.n !== 0) {
      if (Date.now() > deadline) throw new Error('pending completions left');
      await new Promise((r) => setTimeout(r, 200));
    }
    const opinions = await sql<{ task_id: string; case_number: string; hash: string; signed: boolean }>(DATABASE, 'gov_owner', 'SELECT task_id, case_number, hash, signature IS NOT NULL AS signed FROM opinions');
    const perTask = new Map<string, number>();
    for (const o of opinions) perTask.set(o.task_id, (perTask.get(o.task_id) ?? 0) + 1);
    const lost = cases.filter((c) => !perTask.has(c.taskId)).length;
    const doubled = [...perTask.values()].filter((n) => n > 1).length;
    // every answer names the opinion that is stored
    const hashes = new Map(opinions.map((o) => [o.task_id, o.hash]));
    const mismatched = [...requests.values()].filter((r) => r.result?.opinionHash !== hashes.get(r.case.taskId)).length;
    // every case continues: its first step is completed and the next one is open
    const nextOpen = await Promise.all(cases.map(async (c) => (await flow.engine.tasks({ processInstanceId: c.processInstanceId })).map((t) => t.taskDefinitionKey).join(',')));
    const chain = await fetch(`http://127.0.0.1:${port}/opinions/verify`, { headers: { authorization: `Bearer ${await tokenOf('supervisor')}` } }).then((r) => r.json() as Promise<{ ok: boolean }>);
    process.stdout.write(
      `kill -9 completion test: ${CASES} cases, ${kills} kills (each after the ${KILL_AFTER}th engine completion of a process), ` +
        `${opinions.length} opinions found, ${lost} lost, ${doubled} doubled, ${replayed} answers replayed after a restart\n`,
    );
    // every opinion was appended with the signature made when it was recorded, including those the reconciler finished
    const unsigned = opinions.filter((o) => !o.signed).length;
    expect({ opinions: opinions.length, lost, doubled, mismatched, unsigned }).toEqual({ opinions: CASES, lost: 0, doubled: 0, mismatched: 0, unsigned: 0 });
    expect(nextOpen).toEqual(cases.map(() => 'ChiefReview'));
    expect(chain.ok).toBe(true);
    // Each (re)start of the service takes seconds on a loaded machine; the test waits for readiness, not for time.
  }, 600_000);
  it('finishes, through the reconciler, completions recorded when approval was killed before it called the engine', async () => {
    // given: approval that kills itself right after recording its KILL_AFTER-th pending completion, and fresh cases
    await stopChild(child);
    // (its reconciler leaves young rows to their requests, as in production: a lease taken by a process that then
    // dies would hold the rows for the lease's minute)
    child = startApproval(0, KILL_AFTER, { RECONCILE_AFTER_MS: '600000' });
    await ready(child);
    const handler = await tokenOf('handler.market');
    const cases = [];
    for (let i = 0; i < 12; i += 1) cases.push(await startTestCase(flow, (text, params) => sql(DATABASE, 'gov_owner', text, params)));
    const keys = new Map(cases.map((c) => [c.taskId, randomUUID()]));

    // when: all completions at once; the process dies under them; it is restarted and nobody retries
    const first = await Promise.all(cases.map((c) => completeOnce(c.taskId, c.caseNumber, keys.get(c.taskId)!, handler)));
    const exit = await Promise.race([child.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 15_000))]);
    expect(exit?.signal).toBe('SIGKILL');
    expect(first.filter((a) => a.status !== 200 && a.status !== 'no answer')).toEqual([]);
    const unanswered = cases.filter((_, i) => first[i].status === 'no answer');
    const recordedAtCrash = await sql<{ task_id: string }>(DATABASE, 'gov_owner', `SELECT task_id FROM pending_completions WHERE status = 'pending' AND task_id = ANY($1)`, [unanswered.map((c) => c.taskId)]);
    child = startApproval(0);
    await ready(child);
    await nothingPending();

    // then: every completion recorded before the crash was carried out by the reconciler (opinion once, next step open)
    expect(recordedAtCrash.length).toBeGreaterThanOrEqual(1);
    const byReconciler = new Set(recordedAtCrash.map((r) => r.task_id));
    const reconciled = cases.filter((c) => byReconciler.has(c.taskId));
    const opinionsOf = async (taskIds: string[]) =>
      sql<{ task_id: string; n: number; signed: number }>(DATABASE, 'gov_owner', `SELECT task_id, count(*)::int AS n, count(signature)::int AS signed FROM opinions WHERE task_id = ANY($1) GROUP BY task_id`, [taskIds]);
    expect((await opinionsOf(reconciled.map((c) => c.taskId))).map((o) => [o.n, o.signed])).toEqual(reconciled.map(() => [1, 1]));
    const nextOf = (c: { processInstanceId: string }) => flow.engine.tasks({ processInstanceId: c.processInstanceId }).then((ts) => ts.map((t) => t.taskDefinitionKey).join(','));
    expect(await Promise.all(reconciled.map(nextOf))).toEqual(reconciled.map(() => 'ChiefReview'));
    // and a retry with the same key replays what the reconciler did; a request never recorded is carried out now
    const retried = await Promise.all(unanswered.map((c) => completeOnce(c.taskId, c.caseNumber, keys.get(c.taskId)!, handler)));
    expect(retried.map((r) => r.status)).toEqual(unanswered.map(() => 200));
    expect(retried.filter((r, i) => byReconciler.has(unanswered[i].taskId) && !r.replayed)).toEqual([]);
    const all = await opinionsOf(cases.map((c) => c.taskId));
    process.stdout.write(`kill -9 before the engine call: ${cases.length} cases, ${unanswered.length} unanswered at the crash, ${reconciled.length} recorded and finished by the reconciler\n`);
    expect({ opinions: all.length, doubled: all.filter((o) => o.n > 1).length }).toEqual({ opinions: cases.length, doubled: 0 });
    expect(await Promise.all(cases.map(nextOf))).toEqual(cases.map(() => 'ChiefReview'));
  }, 600_000);
});
