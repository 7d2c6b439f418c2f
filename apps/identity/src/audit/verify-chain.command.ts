// Verifies the audit hash chain from the first record to the last.
//   npx tsx --tsconfig apps/identity/tsconfig.json apps/identity/src/audit/verify-chain.command.ts
// Exit code 0 = intact, 1 = broken (the first broken record is printed), 2 = could not run.
import { Client } from 'pg';
import { loadIdentityConfig } from '../config';
import { type ChainRecord, GENESIS_HASH, verifyChain } from './hash-chain';

interface Row {
  seq: string;
  at: Date;
  actor: string | null;
  actor_label: string | null;
  action: string;
  target: string | null;
  outcome: string;
  ip: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export async function verifyAuditChain(config: ReturnType<typeof loadIdentityConfig>['values'], database = config.IDENTITY_DB) {
  const client = new Client({ host: config.PGHOST, port: config.PGPORT, user: config.DB_USER, password: config.DB_PASSWORD || undefined, database });
  await client.connect();
  try {
    let prevHash = GENESIS_HASH;
    let prevSeq = 0n;
    let checked = 0;
    for (;;) {
      const { rows } = await client.query<Row>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq ASC LIMIT 5000', [String(prevSeq)]);
      const records: ChainRecord[] = rows.map((r) => ({
        seq: String(r.seq),
        at: r.at.toISOString(),
        actor: r.actor,
        actorLabel: r.actor_label,
        action: r.action,
        target: r.target,
        outcome: r.outcome,
        ip: r.ip,
        details: r.details,
        prevHash: r.prev_hash,
        hash: r.hash,
      }));
      const verdict = verifyChain(records, { prevHash, prevSeq });
      if (!verdict.ok) return { ...verdict, checked: checked + verdict.checked };
      checked += verdict.checked;
      if (records.length === 0) return { ok: true as const, checked, lastHash: prevHash };
      prevHash = verdict.lastHash;
      prevSeq = BigInt(records[records.length - 1].seq);
    }
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  verifyAuditChain(loadIdentityConfig().values)
    .then((verdict) => {
      process.stdout.write(`${JSON.stringify(verdict)}\n`);
      process.exit(verdict.ok ? 0 : 1);
    })
    .catch((e: unknown) => {
      process.stderr.write(`audit chain verification could not run: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    });
}
