// Ingestion of departments' own systems (issue 10 §8 target: ≥ 2,000 records/s). Starts its own supervision service on
// a throwaway database (consumers off; the running stack's identity issues the window clerk's token) and posts
// batches of exchange records: per case an acceptance, an opened step, a completed step and a decision. Every record
// is validated, deduplicated, recorded and written to the outbox as its platform event in the batch's transaction.
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register bench/ingestion.ts [--records 40000] [--batch 2000] [--concurrency 2]
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { creditCodeCheckChar, type ExchangeRecordData } from '@gov/contracts';
import { startTestSupervision, tokenOf } from '../apps/supervision/src/testing/test-app';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RECORDS = Number(arg('records', '40000'));
const BATCH = Number(arg('batch', '2000'));
const CONCURRENCY = Number(arg('concurrency', '2'));
const MARKET = ((s: string) => s + creditCodeCheckChar(s))('11449900000000011');

function caseRecords(n: number, run: string): ExchangeRecordData[] {
  const caseNumber = `449900-20261102-${String(n).padStart(8, '0')}`;
  const base = { caseNumber, departmentCode: MARKET };
  const group = [`handler:${MARKET}`];
  return [
    { ...base, kind: 'case.accepted', recordId: `${run}-${n}-a`, occurredAt: '2026-11-02T02:00:00.000Z', matterCode: 'EXT-1', matterName: '户外广告设置许可', applicant: { kind: 'person', id: '11010519491231002X', name: '王五' }, statutoryLimitWorkingDays: 10 },
    { ...base, kind: 'step.opened', recordId: `${run}-${n}-o`, occurredAt: '2026-11-02T02:00:00.000Z', stepId: `${n}-1`, stepKey: 'review', stepName: '承办人审查', candidateGroups: group, timeLimitWorkingDays: 3 },
    { ...base, kind: 'step.completed', recordId: `${run}-${n}-c`, occurredAt: '2026-11-03T02:00:00.000Z', stepId: `${n}-1`, stepKey: 'review', stepName: '承办人审查', candidateGroups: group, assignee: 'liu', timeLimitWorkingDays: 3, openedAt: '2026-11-02T02:00:00.000Z' },
    { ...base, kind: 'case.decided', recordId: `${run}-${n}-d`, occurredAt: '2026-11-04T02:00:00.000Z', decision: 'approved', documentNumber: `示市监广许〔2026〕${n}号` },
  ];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function main(): Promise<void> {
  const t = await startTestSupervision({ LIGHT_SCAN_INTERVAL_MS: '3600000', HTTP_BODY_LIMIT_BYTES: String(4 * 1024 * 1024) }, { consumers: false });
  try {
    const token = await tokenOf('clerk.market');
    const run = randomUUID().slice(0, 8);
    const all = Array.from({ length: Math.ceil(RECORDS / 4) }, (_, i) => caseRecords(i + 1, run)).flat().slice(0, RECORDS);
    const batches: ExchangeRecordData[][] = [];
    for (let i = 0; i < all.length; i += BATCH) batches.push(all.slice(i, i + BATCH));
    const post = (records: ExchangeRecordData[]) =>
      fetch(`${t.url}/ingestion/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), authorization: `Bearer ${token}` },
        body: JSON.stringify({ system: 'bench-own-system', records }),
      });
    // warm-up on records of another run (not counted)
    await post(caseRecords(0, `${run}-warm`)).then((r) => r.arrayBuffer());
    await t.superQuery('VACUUM ANALYZE');
    const latencies: number[] = [];
    let next = 0;
    let applied = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < batches.length; i = next++) {
          const t0 = performance.now();
          const res = await post(batches[i]);
          const body = (await res.json()) as { applied?: number };
          if (res.status !== 200) throw new Error(`batch ${i}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
          applied += body.applied ?? 0;
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const [{ n: outbox }] = await t.superQuery<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'source' = '/supervision/ingestion/bench-own-system'`);
    console.log(`${all.length} records in ${batches.length} batches of ${BATCH}, ${CONCURRENCY} clients: ${seconds.toFixed(2)} s, ${(applied / seconds).toFixed(0)} records/s (target ≥ 2,000)`);
    console.log(`batch latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms; applied ${applied}; outbox events ${outbox}`);
    // a resend of the first batch: every record a duplicate
    const again = (await (await post(batches[0])).json()) as { applied: number; duplicates: number };
    console.log(`resend of batch 1: applied ${again.applied}, duplicates ${again.duplicates}`);
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
