// Verifies the audit trail: the frozen legacy chain, then every service's chain, in pages, from a direct connection.
//   npx tsx --tsconfig apps/identity/tsconfig.json apps/identity/src/audit/verify-chain.command.ts
// Exit code 0 = intact, 1 = broken (the first broken record is printed), 2 = could not run.
// (The signed heads are checked by GET /audit/verify, which has identity's CA at hand.)
import { Client } from 'pg';
import { loadIdentityConfig } from '../config';
import { type AuditVerdict, verifyAuditTrail } from './audit.repository';

export async function verifyAuditChain(config: ReturnType<typeof loadIdentityConfig>['values'], database = config.IDENTITY_DB, pageSize?: number): Promise<AuditVerdict> {
  const client = new Client({ host: config.PGHOST, port: config.PGPORT, user: config.DB_USER, password: config.DB_PASSWORD || undefined, database });
  await client.connect();
  try {
    return await verifyAuditTrail({ query: async (sql: string, params?: unknown[]): Promise<unknown> => (await client.query(sql, params)).rows as unknown }, { pageSize });
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
