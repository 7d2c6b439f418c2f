// Intake benchmarks (issue 8, "Tests and benchmark"): targets ≥ 50 submissions/s with a 1 MB material at 4 clients;
// progress-query p99 ≤ 50 ms over 1,000,000 cases. Run with decorator metadata (Nest DI):
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register bench/intake.ts [--submissions 200] [--clients 4] [--cases 1000000] [--queries 2000] [--only submissions|progress]
// Starts its own intake in-process on a throwaway database (the demo catalogue seeded, relay and consumers off; the
// running stack's identity issues the demo applicants' tokens; materials in a temporary directory), dropped afterwards.
//  1. Submissions (the measured ones from a load-generator process of their own, this file again: clients are not in
//     the server's event loop): per submission POST /applications (online, as a demo applicant, the demo food licence) and then
//     POST /applications/:caseNumber/materials/premisesPlan with a 1 MB PDF (one valid PDF generated once, padded with
//     an uncompressed stream; each upload changes a nonce inside the padding, so no upload is a duplicate and the
//     content-addressed store writes every one). A submission counts when both returned 201.
//  2. Progress: 1,000,000 applications with their receipt/acceptance history and progress read model seeded with SQL
//     (INSERT … SELECT generate_series), VACUUM ANALYZE, then GET /applications/:id/progress of random cases, each as
//     its applicant, at N clients; the CPU time per query; the statement the endpoint runs under EXPLAIN ANALYZE.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { PROGRESS_VIEW_SQL } from '../apps/intake/src/progress/progress.repository';
import { APPLICANT_IDS, DEMO_MATTER, USERS, applicationBody, startTestIntake, tokenOf } from '../apps/intake/src/testing/test-app';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const SUBMISSIONS = Number(arg('submissions', '200'));
const CLIENTS = Number(arg('clients', '4'));
const CASES = Number(arg('cases', '1000000'));
const QUERIES = Number(arg('queries', '2000'));
const ONLY = arg('only', 'both');
const WARMUP = Number(arg('warmup', '3'));
const MATERIAL_BYTES = 1024 * 1024;
const SLOT = 'premisesPlan';

const APPLICANTS = [
  { user: USERS.zhangsan, kind: 'person', id: APPLICANT_IDS.zhangsan, name: '张三' },
  { user: USERS.lisi, kind: 'person', id: APPLICANT_IDS.lisi, name: '李四' },
  { user: USERS.acme, kind: 'legal-entity', id: APPLICANT_IDS.acme, name: '示范市艾克米科技有限公司' },
] as const;

/** Nearest rank. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
const ms = (v: number) => `${v.toFixed(1)} ms`;
const stats = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return `n ${s.length}, p50 ${ms(percentile(s, 50))}, p99 ${ms(percentile(s, 99))}, max ${ms(s[s.length - 1] ?? NaN)}`;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** A real one-page PDF of exactly `size` bytes: the page, and an uncompressed stream of hex digits as padding. */
async function paddedPdf(size: number): Promise<{ bytes: Buffer; nonceAt: number }> {
  const build = async (padding: number) => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    page.drawText('intake benchmark material (premises plan)', { x: 72, y: 770, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
    const marker = 'NONCE' + '0'.repeat(32);
    const content = Buffer.from(marker + randomBytes(Math.ceil(padding / 2)).toString('hex').slice(0, padding), 'latin1');
    const stream = doc.context.stream(content, { Type: 'EmbeddedFile' });
    doc.catalog.set(PDFName.of('BenchPadding'), doc.context.register(stream));
    return Buffer.from(await doc.save({ useObjectStreams: false }));
  };
  // the /Length and the xref offsets grow with the padding: adjust until the size is exact
  let padding = size - (await build(0)).length;
  let bytes = await build(padding);
  for (let tries = 0; bytes.length !== size && tries < 5; tries++) bytes = await build((padding -= bytes.length - size));
  const nonceAt = bytes.indexOf('NONCE') + 5;
  if (bytes.length !== size || nonceAt < 5 || !bytes.subarray(0, 5).equals(Buffer.from('%PDF-'))) throw new Error(`padded PDF is ${bytes.length} bytes, wanted ${size}`);
  return { bytes, nonceAt };
}

async function post(url: string, token: string, body: Buffer | string, contentType: string): Promise<{ status: number; text: string; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'idempotency-key': randomUUID() }, body });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - t0 };
}

type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

async function printSettings(q: Query): Promise<void> {
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} free), load average ${load()}`);
  const names = ['server_version', 'autovacuum', 'fsync', 'synchronous_commit', 'shared_buffers', 'max_connections', 'work_mem'];
  const rows = await q<{ name: string; setting: string; unit: string | null }>(`SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1) ORDER BY name`, [names]);
  console.log(`PostgreSQL: ${rows.map((r) => `${r.name}=${r.setting}${r.unit ? ` ${r.unit}` : ''}`).join(', ')}`);
}

/** The demo applicants' tokens, fetched before a phase's clock starts (demoLogin caches them and refreshes near expiry). */
async function applicantTokens(): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const a of APPLICANTS) tokens.set(a.user, await tokenOf(a.user));
  return tokens;
}

interface LoadResult {
  times: { apply: number[]; upload: number[]; submission: number[] };
  failures: string[];
  seconds: number;
}

/**
 * The submitting clients: `count` submissions from `first` on, `clients` at a time, each an application and its 1 MB
 * material, as the demo applicants. Run in the load-generator process for the measured phase (see submissions).
 */
async function submitLoad(url: string, tokens: Map<string, string>, first: number, count: number, clients: number): Promise<LoadResult> {
  const { bytes: pdf, nonceAt } = await paddedPdf(MATERIAL_BYTES);
  const times = { apply: [] as number[], upload: [] as number[], submission: [] as number[] };
  const failures: string[] = [];
  const one = async (n: number, record: boolean): Promise<void> => {
    const applicant = APPLICANTS[n % APPLICANTS.length];
    const token = tokens.get(applicant.user) as string;
    const t0 = performance.now();
    const body = JSON.stringify(applicationBody({ applicant: { kind: applicant.kind, id: applicant.id, name: applicant.name } }));
    const applied = await post(`${url}/applications`, token, body, 'application/json');
    if (applied.status !== 201) return void failures.push(`POST /applications: ${applied.status} ${applied.text.slice(0, 300)}`);
    const { caseNumber } = JSON.parse(applied.text) as { caseNumber: string };
    // this upload's own bytes: the nonce inside the padding stream (hex digits, so the PDF stays valid)
    const material = Buffer.from(pdf);
    material.write(randomBytes(16).toString('hex'), nonceAt, 'latin1');
    const uploaded = await post(`${url}/applications/${caseNumber}/materials/${SLOT}?fileName=${encodeURIComponent('经营场所平面布局图.pdf')}`, token, material, 'application/pdf');
    if (uploaded.status !== 201) return void failures.push(`POST /applications/${caseNumber}/materials/${SLOT}: ${uploaded.status} ${uploaded.text.slice(0, 300)}`);
    if (!record) return;
    times.apply.push(applied.ms);
    times.upload.push(uploaded.ms);
    times.submission.push(performance.now() - t0);
  };
  if (clients === 0) {
    for (let i = 0; i < count; i++) await one(first + i, false);
    return { times, failures, seconds: 0 };
  }
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < count && failures.length === 0; i = next++) await one(first + i, true);
    }),
  );
  return { times, failures, seconds: (performance.now() - started) / 1000 };
}

/**
 * The measured submissions come from a load-generator process of their own (this file again, with
 * BENCH_INTAKE_LOAD): clients are not in the server's process in production, and in one process the clients' 1 MB
 * uploads and the service would share one event loop (on two cores, the load generator then competes with intake,
 * PostgreSQL and the page counter as a remote client's machine would not).
 */
function loadProcess(url: string, tokens: Map<string, string>, first: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename], {
      env: { ...process.env, BENCH_INTAKE_LOAD: JSON.stringify({ url, tokens: Object.fromEntries(tokens), first, count: SUBMISSIONS, clients: CLIENTS }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`the load generator exited with ${code}: ${out.slice(-500)}`));
      try {
        resolve(JSON.parse(line) as LoadResult);
      } catch {
        reject(new Error(`the load generator printed no result: ${out.slice(-500)}`));
      }
    });
  });
}

async function submissions(url: string, q: Query): Promise<boolean> {
  const tokens = await applicantTokens();
  console.log(`\n## 1. submissions with a ${MATERIAL_BYTES}-byte PDF (slot ${SLOT} of ${DEMO_MATTER}), ${CLIENTS} clients in a load-generator process, ${SUBMISSIONS} submissions (${WARMUP} warm-up first)`);
  const warm = await submitLoad(url, tokens, 0, WARMUP, 0);
  if (warm.failures.length > 0) throw new Error(`warm-up failed: ${warm.failures[0]}`);
  await q('VACUUM ANALYZE');
  const { times, failures, seconds } = await loadProcess(url, tokens, WARMUP);
  const done = times.submission.length;
  const rate = done / seconds;
  console.log(`${done} of ${SUBMISSIONS} submissions in ${seconds.toFixed(1)} s: ${rate.toFixed(1)} submissions/s; load average after ${load()}`);
  console.log(`  submission (both requests)            ${stats(times.submission)}`);
  console.log(`  POST /applications                     ${stats(times.apply)}`);
  console.log(`  POST /applications/:caseNumber/materials/:slotKey (1 MB)  ${stats(times.upload)}`);
  const stored = await q<{ n: number; bytes: string; content_type: string }>(`SELECT content_type, count(*)::int AS n, sum(size)::text AS bytes FROM application_materials GROUP BY content_type`);
  console.log(`  materials stored (warm-up included), by detected type: ${stored.map((r) => `${r.content_type} ${r.n} (${r.bytes} bytes)`).join(', ')}`);
  for (const f of failures.slice(0, 3)) console.log(`  FAILED: ${f}`);
  const ok = failures.length === 0 && rate >= 50;
  console.log(`target ≥ 50 submissions/s at 4 clients: ${rate.toFixed(1)} → ${verdict(ok && CLIENTS === 4)}${CLIENTS === 4 ? '' : ` (ran at ${CLIENTS} clients)`}`);
  return failures.length === 0;
}

async function progress(url: string, q: Query): Promise<boolean> {
  console.log(`\n## 2. progress query over ${CASES} seeded cases, ${CLIENTS} clients, ${QUERIES} queries`);
  const [matter] = await q<{ department_code: string; tenant_id: string }>(
    `SELECT elements->>'departmentCode' AS department_code, tenant_id FROM matter_versions WHERE code = $1 ORDER BY version DESC LIMIT 1`,
    [DEMO_MATTER],
  );
  if (!matter) throw new Error(`${DEMO_MATTER} is not in the seeded catalogue`);
  let started = performance.now();
  // 1 in 10 received in the last 4 days and awaiting the window; of the rest a third decided over the past year and two
  // thirds accepted and running, received 2-30 days ago (a running case's working days are counted day by day on every
  // read, so a year-old running case would cost the calendar a year of days). Case numbers carry 7-digit sequence
  // numbers (the service's own are 6 digits until a million a day), so the seeding statements below pick them out.
  // The applicant is one of the demo applicants (i % 3); ids are derived from i so the bench can pick cases at random.
  await q(
    `INSERT INTO applications (id, case_number, matter_code, matter_version, department_code, tenant_id, applicant_kind, applicant_id, applicant_name, form, status, channel,
                               received_at, acceptance_due_at, accepted_at, acceptance_mode, accepted_by, time_limit_working_days, promised_deadline, materials, materials_frozen_at, closed_at)
     SELECT md5('bench-app-' || i)::uuid, format('%s-%s-%s', $2::text, to_char(rcv, 'YYYYMMDD'), lpad(i::text, 7, '0')), $3, 1, $4, $2,
            (ARRAY[$5, $6, $7])[1 + i % 3], (ARRAY[$8, $9, $10])[1 + i % 3], (ARRAY['张三', '李四', '示范市艾克米科技有限公司'])[1 + i % 3],
            '{"businessPremises": "示范市东城区兴中道1号", "businessScope": "热食类食品制售"}'::jsonb,
            CASE WHEN i % 10 = 0 THEN 'received' WHEN i % 3 = 0 THEN 'decided' ELSE 'accepted' END, 'online',
            rcv, rcv + interval '7 days', CASE WHEN i % 10 = 0 THEN NULL ELSE rcv + interval '1 day' END, CASE WHEN i % 10 = 0 THEN NULL ELSE 'window' END,
            CASE WHEN i % 10 = 0 THEN NULL ELSE 'clerk.market' END, 7, CASE WHEN i % 10 = 0 THEN NULL ELSE rcv + interval '10 days' END,
            '[{"key": "premisesPlan", "name": "经营场所平面布局图"}]'::jsonb, CASE WHEN i % 10 = 0 THEN NULL ELSE rcv + interval '1 day' END,
            CASE WHEN i % 10 <> 0 AND i % 3 = 0 THEN rcv + interval '8 days' END
       FROM generate_series(1, $1::int) i
       CROSS JOIN LATERAL (SELECT date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai' + interval '9 hours'
                                  - CASE WHEN i % 10 = 0 THEN make_interval(days => i % 4) WHEN i % 3 = 0 THEN make_interval(days => 30 + i % 335) ELSE make_interval(days => 2 + i % 28) END
                                  + make_interval(mins => i % 480) AS rcv) r`,
    [CASES, matter.tenant_id, DEMO_MATTER, matter.department_code, ...APPLICANTS.map((a) => a.kind), ...APPLICANTS.map((a) => a.id)],
  );
  console.log(`seeded ${CASES} applications in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  await q(
    `INSERT INTO application_history (id, application_id, action, notice, actor, at, data)
     SELECT md5('bench-h' || h.n || '-' || a.id)::uuid, a.id, h.action, h.notice, h.actor, h.at, jsonb_build_object('caseNumber', a.case_number, 'materials', a.materials)
       FROM applications a
       CROSS JOIN LATERAL (VALUES (1, 'received', 'receipt', a.applicant_id, a.received_at), (2, 'accepted', 'acceptance', a.accepted_by, a.accepted_at)) AS h(n, action, notice, actor, at)
      WHERE (h.n = 1 OR a.accepted_at IS NOT NULL) AND a.case_number ~ '-[0-9]{7}$'`,
  );
  console.log(`seeded the receipt and acceptance history in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  await q(
    `INSERT INTO application_progress (case_number, process_instance_id, started_at, current_step, current_step_name, current_groups, step_opened_at, step_limit_working_days, steps, light, result, updated_at)
     SELECT a.case_number, 'pi-' || a.id, a.accepted_at,
            CASE WHEN a.status = 'accepted' THEN 'decide' END, CASE WHEN a.status = 'accepted' THEN '决定' END,
            CASE WHEN a.status = 'accepted' THEN jsonb_build_array('leader:' || a.department_code) ELSE '[]'::jsonb END,
            CASE WHEN a.status = 'accepted' THEN a.accepted_at + interval '4 days' END, CASE WHEN a.status = 'accepted' THEN 2 END,
            jsonb_build_array(
              jsonb_build_object('taskId', 't1-' || a.id, 'step', 'review', 'name', '审查', 'groups', jsonb_build_array('handler:' || a.department_code), 'openedAt', a.accepted_at, 'completedAt', a.accepted_at + interval '4 days', 'cancelled', false),
              jsonb_build_object('taskId', 't2-' || a.id, 'step', 'decide', 'name', '决定', 'groups', jsonb_build_array('leader:' || a.department_code), 'openedAt', a.accepted_at + interval '4 days',
                                 'completedAt', CASE WHEN a.status = 'decided' THEN a.closed_at END, 'cancelled', false)),
            CASE WHEN a.status = 'accepted' THEN (ARRAY['green', 'yellow', 'red'])[1 + (hashtext(a.case_number) & 3) % 3] END,
            CASE WHEN a.status = 'decided' THEN jsonb_build_object('outcome', 'approved', 'documentNumber', '示市监许〔' || to_char(a.closed_at, 'YYYY') || '〕' || right(a.case_number, 7) || '号', 'at', a.closed_at) END,
            COALESCE(a.closed_at, a.accepted_at)
       FROM applications a
      WHERE a.accepted_at IS NOT NULL AND a.case_number ~ '-[0-9]{7}$'
     ON CONFLICT (case_number) DO NOTHING`,
  );
  console.log(`seeded the progress read model in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  await q('VACUUM ANALYZE');
  const [counts] = await q<{ apps: number; history: number; progress: number }>(
    `SELECT (SELECT count(*) FROM applications)::int AS apps, (SELECT count(*) FROM application_history)::int AS history, (SELECT count(*) FROM application_progress)::int AS progress`,
  );
  console.log(`VACUUM ANALYZE in ${((performance.now() - started) / 1000).toFixed(1)} s; rows: applications ${counts.apps}, application_history ${counts.history}, application_progress ${counts.progress}; load average ${load()}`);

  // random cases, each queried as its applicant (the applicant of case i is APPLICANTS[i % 3])
  const pick = () => 1 + Math.floor(Math.random() * CASES);
  const ids = new Map<number, string>();
  const wanted = Array.from({ length: QUERIES + 20 }, pick);
  const rows = await q<{ i: number; id: string }>(`SELECT i, md5('bench-app-' || i)::uuid::text AS id FROM unnest($1::int[]) AS i`, [wanted]);
  for (const r of rows) ids.set(r.i, r.id);
  const ask = async (i: number) => {
    const t0 = performance.now();
    const res = await fetch(`${url}/applications/${ids.get(i)}/progress`, { headers: { authorization: `Bearer ${tokens.get(APPLICANTS[i % 3].user)}` } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`GET /applications/${ids.get(i)}/progress: ${res.status} ${body.slice(0, 300)}`);
    return { ms: performance.now() - t0, body: JSON.parse(body) as { status: string } };
  };
  const tokens = await applicantTokens(); // after the seeding: a token lives 300 s
  for (const i of wanted.slice(QUERIES)) await ask(i); // warm-up (unmeasured)
  const times: number[] = [];
  const byStatus = new Map<string, number>();
  let next = 0;
  started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let k = next++; k < QUERIES; k = next++) {
        const r = await ask(wanted[k]);
        times.push(r.ms);
        byStatus.set(r.body.status, (byStatus.get(r.body.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${times.length} queries in ${seconds.toFixed(1)} s (${(times.length / seconds).toFixed(0)}/s), statuses ${[...byStatus].map(([s, n]) => `${s} ${n}`).join(', ')}; load average after ${load()}`);
  console.log(`  GET /applications/:id/progress        ${stats(times)}`);
  // CPU time of this process (the service and the bench's clients) per query: steadier than latency on a shared machine
  console.log(`  CPU of this process per query (service + clients): ${((cpu.user + cpu.system) / 1000 / times.length).toFixed(2)} ms (user ${(cpu.user / 1000 / times.length).toFixed(2)}, system ${(cpu.system / 1000 / times.length).toFixed(2)})`);
  const p99 = percentile(sorted, 99);
  console.log(`target progress p99 ≤ 50 ms: ${ms(p99)} → ${verdict(p99 <= 50)}`);

  // one client, no queueing behind the others: the endpoint's own latency on this machine
  const single: number[] = [];
  for (const i of wanted.slice(0, Math.min(200, QUERIES))) single.push((await ask(i)).ms);
  console.log(`  GET /applications/:id/progress at 1 client  ${stats(single)}`);
  // the machine's floor: the same clients on the liveness probe (no auth, no SQL), right after
  const floor: number[] = [];
  let probe = 0;
  const floorCpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (probe++ < 400) {
        const t0 = performance.now();
        await fetch(`${url}/health/live`).then((r) => r.arrayBuffer());
        floor.push(performance.now() - t0);
      }
    }),
  );
  const floorCpuUsed = process.cpuUsage(floorCpu);
  console.log(`  floor: GET /health/live at ${CLIENTS} clients  ${stats(floor)}; load average ${load()}`);
  console.log(`  floor: CPU of this process per GET /health/live: ${((floorCpuUsed.user + floorCpuUsed.system) / 1000 / floor.length).toFixed(2)} ms`);

  // the statement the endpoint runs (ProgressRepository.view: the application, its parts or bundle, their progress
  // rows and notices in one round trip), as the repository issues it, for one accepted case
  const sample = wanted.find((i) => i % 10 !== 0) ?? 1;
  const statements: Array<[string, string, unknown[]]> = [['progress view by id', PROGRESS_VIEW_SQL.byId, [ids.get(sample)]]];
  // the same statement inside PostgreSQL for 200 random cases: its execution time per case
  const sqlTimes: number[] = [];
  for (const i of wanted.slice(0, 200)) {
    const [row] = await q<{ 'QUERY PLAN': Array<{ 'Execution Time': number }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${PROGRESS_VIEW_SQL.byId}`, [ids.get(i)]);
    sqlTimes.push(row['QUERY PLAN'][0]['Execution Time']);
  }
  console.log(`  SQL only (the statement's execution time per case, 200 random cases): ${stats(sqlTimes)}`);
  console.log('\nEXPLAIN ANALYZE of the progress query (one accepted case):');
  for (const [name, sql, params] of statements) {
    const plan = await q<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    console.log(`  -- ${name}: ${sql}\n    ${plan.map((p) => p['QUERY PLAN']).join('\n    ')}`);
  }
  return true;
}

async function main(): Promise<void> {
  const role = process.env.BENCH_INTAKE_LOAD;
  if (role) {
    const o = JSON.parse(role) as { url: string; tokens: Record<string, string>; first: number; count: number; clients: number };
    const result = await submitLoad(o.url, new Map(Object.entries(o.tokens)), o.first, o.count, o.clients);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'bench-intake-materials-'));
  const t = await startTestIntake({ MATERIALS_DIR: dir, LOG_LEVEL: 'warn' });
  let clean = true;
  try {
    const q: Query = (sql, params) => t.superQuery(sql, params);
    console.log(`intake in-process at ${t.url}, database ${t.database}, materials in ${dir}`);
    await printSettings(q);
    if (ONLY !== 'progress') clean = (await submissions(t.url, q)) && clean;
    if (ONLY !== 'submissions') clean = (await progress(t.url, q)) && clean;
  } finally {
    await t.close(); // drops the throwaway database
    await rm(dir, { recursive: true, force: true });
    console.log(`\ndropped ${t.database} and ${dir}`);
  }
  if (!clean) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
