// Alert latency (issue 10 §1 target: deadline → alert on the stream p99 ≤ 1 s with 100,000 open steps).
// Starts its own supervision instance in-process (a throwaway database, like the integration tests; the shared
// identity for a supervisor's token and the engine for the pre-red check), bulk-seeds N open steps whose deadlines are
// a month away, then K target steps whose deadlines fall due over the next seconds, and reads the SSE stream as the
// city supervisor: latency = when the red arrived on the stream − the step's deadline.
//   SWC_NODE_PROJECT=apps/supervision/tsconfig.json node -r @swc-node/register bench/alert-latency.ts [--open 100000] [--due 200] [--over-seconds 20] [--scan-ms 200]
import 'reflect-metadata';
import { startTestSupervision, tokenOf, orgsOf } from '../apps/supervision/src/testing/test-app';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const OPEN = Number(arg('open', '100000'));
const DUE = Number(arg('due', '200'));
const OVER_SECONDS = Number(arg('over-seconds', '20'));
const SCAN_MS = arg('scan-ms', '200');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const t = await startTestSupervision({ LIGHT_SCAN_INTERVAL_MS: SCAN_MS, YELLOW_WINDOW_HOURS: '0', ESCALATE_RED_AFTER_WORKING_DAYS: '0' }, { consumers: false });
  try {
    const supervisor = await tokenOf('supervisor');
    const group = `handler:${orgsOf(await tokenOf('handler.market'))[0]}`;
    // the bulk: N open steps due in a month (the scan must not read them)
    const seeded = Date.now();
    await t.ownerQuery(
      `INSERT INTO steps (step_id, case_number, process_instance_id, task_definition_key, name, candidate_groups, opened_at, time_limit_working_days, deadline)
       SELECT 'bulk-' || g, 'BENCH-20261201-' || lpad(g::text, 7, '0'), 'pi-' || g, 'HandlerReview', '审查', ARRAY[$1], now(), 20, now() + interval '30 days'
         FROM generate_series(1, $2) g`,
      [group, OPEN],
    );
    await t.ownerQuery(`ANALYZE steps`);
    console.log(`seeded ${OPEN} open steps in ${Date.now() - seeded} ms`);

    // the stream, from now on
    const abort = new AbortController();
    const arrivals = new Map<string, number>();
    const res = await fetch(`${t.url}/alerts/stream`, { headers: { authorization: `Bearer ${supervisor}`, accept: 'text/event-stream' }, signal: abort.signal });
    if (!res.ok || !res.body) throw new Error(`stream: ${res.status}`);
    const reader = res.body.getReader();
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = (await reader.read().catch(() => ({ value: undefined, done: true }))) as { value?: Uint8Array; done: boolean };
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
          buffer = buffer.slice(end + 2);
          if (!data) continue;
          const a = JSON.parse(data) as { kind: string; level: string; stepId: string };
          if (a.kind === 'light' && a.level === 'red') arrivals.set(a.stepId, Date.now());
        }
      }
    })();

    // the targets: K steps falling due evenly over the next seconds (from 2 s on)
    const start = Date.now() + 2000;
    const deadlines = new Map<string, number>();
    for (let i = 0; i < DUE; i++) {
      const at = start + Math.floor((i * OVER_SECONDS * 1000) / DUE);
      deadlines.set(`due-${i}`, at);
    }
    await t.ownerQuery(
      `INSERT INTO steps (step_id, case_number, process_instance_id, task_definition_key, name, candidate_groups, opened_at, time_limit_working_days, deadline)
       SELECT d.id, 'BENCH-20261202-' || lpad(d.n::text, 7, '0'), 'pi-' || d.id, 'HandlerReview', '审查', ARRAY[$1], now(), 1, to_timestamp(d.at / 1000.0)
         FROM unnest($2::text[], $3::float8[]) WITH ORDINALITY AS d(id, at, n)`,
      [group, [...deadlines.keys()], [...deadlines.values()]],
    );
    const until = start + OVER_SECONDS * 1000 + 10_000;
    while (arrivals.size < DUE && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    abort.abort();
    await reading;

    const latencies = [...deadlines].filter(([id]) => arrivals.has(id)).map(([id, at]) => arrivals.get(id)! - at).sort((a, b) => a - b);
    console.log(`open steps: ${OPEN + DUE}; scan interval ${SCAN_MS} ms; reds expected ${DUE}, on the stream ${latencies.length}`);
    console.log(`deadline → red on the SSE stream (ms): p50 ${percentile(latencies, 50)}, p90 ${percentile(latencies, 90)}, p99 ${percentile(latencies, 99)}, max ${latencies[latencies.length - 1]}`);
    const plan = await t.ownerQuery<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT s.* FROM steps s WHERE s.closed_at IS NULL AND s.deadline < now() AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.step_id = s.step_id AND a.level = 'red') ORDER BY s.deadline LIMIT 500`,
    );
    console.log('red scan plan:\n  ' + plan.map((p) => p['QUERY PLAN']).join('\n  '));
  } finally {
    await t.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
