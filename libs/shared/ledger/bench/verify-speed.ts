// Measures ledger verification speed (records/s) over N records in a throwaway database.
//   npx tsx --tsconfig tsconfig.base.json libs/shared/ledger/bench/verify-speed.ts [records=100000] [partitions=1000]
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Ledger, type Sql } from '../src';

const N = Number(process.argv[2] ?? 100_000);
const P = Number(process.argv[3] ?? 1000);
const ledger = new Ledger({
  ledger: 'bench.records',
  table: 'records',
  rowIdColumn: 'id',
  fields: { body: { column: 'body', type: 'text' }, at: { column: 'at', type: 'timestamptz' }, details: { column: 'details', type: 'jsonb' } },
});

async function main(): Promise<void> {
  const host = process.env['PGHOST'] ?? '127.0.0.1';
  const user = process.env['PG_SUPERUSER'] ?? 'postgres';
  const database = `ledger_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ host, user, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const c = new Client({ host, user, database });
  await c.connect();
  const db: Sql = { query: async (text: string, params?: unknown[]): Promise<unknown> => (await c.query(text, params)).rows as unknown };
  try {
    await c.query(`CREATE TABLE records (id bigserial PRIMARY KEY, body text NOT NULL, at timestamptz NOT NULL, details jsonb NOT NULL,
      chain_partition text COLLATE "C", chain_seq bigint, prev_hash text NOT NULL, hash text NOT NULL, UNIQUE (chain_partition, chain_seq))`);
    // Build the chains in memory and load them in bulk (appending one by one would measure the append, not verification).
    const heads = new Map<string, { seq: number; hash: string }>();
    const t0 = Date.now();
    for (let start = 0; start < N; start += 5000) {
      const rows: unknown[][] = [];
      for (let i = start; i < Math.min(N, start + 5000); i++) {
        const partition = `441200-20261201-${String(i % P).padStart(6, '0')}`;
        const h = heads.get(partition) ?? { seq: 0, hash: '0'.repeat(64) };
        const stored = ledger.normalise({ body: `opinion ${i} 材料齐全，拟同意。`, at: new Date(1_764_000_000_000 + i), details: { step: 'HandlerReview', i, tags: ['a', 'b'] } });
        const seq = String(h.seq + 1);
        const hash = ledger.hashOf(partition, seq, h.hash, stored);
        rows.push([stored.body, stored.at, JSON.stringify(stored.details), partition, seq, h.hash, hash]);
        heads.set(partition, { seq: h.seq + 1, hash });
      }
      await c.query(
        `INSERT INTO records (body, at, details, chain_partition, chain_seq, prev_hash, hash)
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::jsonb[], $4::text[], $5::bigint[], $6::text[], $7::text[])`,
        [0, 1, 2, 3, 4, 5, 6].map((k) => rows.map((r) => r[k])),
      );
    }
    await c.query('VACUUM ANALYZE records');
    process.stdout.write(`loaded ${N} records in ${P} partitions in ${Date.now() - t0} ms\n`);
    const t1 = process.hrtime.bigint();
    const verdict = await ledger.verify(db);
    const ms = Number(process.hrtime.bigint() - t1) / 1e6;
    process.stdout.write(`verified ${verdict.checked} records (${verdict.partitions} partitions, ok=${verdict.ok}) in ${ms.toFixed(0)} ms: ${Math.round((verdict.checked / ms) * 1000)} records/s, rss ${Math.round(process.memoryUsage().rss / 1e6)} MB\n`);
  } finally {
    await c.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
