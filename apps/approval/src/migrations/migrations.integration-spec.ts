import { STACK, schemaDriftAfterMigrations } from '@gov/testing';
import { Client } from 'pg';
import { DataSource, getMetadataArgsStorage } from 'typeorm';
import { APPROVAL_ENTITIES } from '../entities';
import { APPROVAL_MIGRATIONS } from './index';

/** Tables approval's migrations create that libraries own and check (their entities live with the library code). */
const LIBRARY_TABLES = {
  // messaging (outbox relay, idempotent inbox)
  outbox: '@gov/messaging',
  inbox: '@gov/messaging',
  dead_letters: '@gov/messaging',
  // service kit (Idempotency-Key storage)
  idempotency_keys: '@gov/service-kit',
  // the opinions ledger: its repository (and soon @gov/ledger) owns the table and its append-only triggers
  opinions: 'opinions.repository / @gov/ledger',
  // the frozen pre-ledger chain's head (@gov/ledger, LedgerLegacyHead)
  ledger_legacy_heads: '@gov/ledger',
  rate_limits: '@gov/auth',
  // the deploy pipeline's ledger (deployments/flow-pipeline.repository, @gov/ledger)
  flow_pipeline_log: 'flow-pipeline.repository / @gov/ledger',
  // the officers' task actions ledger (task-actions/case-actions.repository, @gov/ledger)
  case_actions: 'case-actions.repository / @gov/ledger',
  // TypeORM's own bookkeeping
  migrations: 'typeorm',
};

async function tablesAfterMigrations(database: string): Promise<string[]> {
  const admin = new Client({ host: STACK.pg.host, port: STACK.pg.port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  const ds = new DataSource({ type: 'postgres', host: STACK.pg.host, port: STACK.pg.port, username: 'postgres', database, migrations: APPROVAL_MIGRATIONS, migrationsTransactionMode: 'each' });
  try {
    await ds.initialize();
    await ds.runMigrations();
    const rows = await ds.query<{ table_name: string }[]>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
    return rows.map((r) => r.table_name);
  } finally {
    await ds.destroy().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

describe('approval migrations', () => {
  it('match every entity (an entity changed without a migration fails here)', async () => {
    expect(await schemaDriftAfterMigrations('approval_drift_check', APPROVAL_MIGRATIONS, APPROVAL_ENTITIES)).toEqual([]);
  });

  it('create no table that is neither behind an entity nor owned by a library', async () => {
    // given
    const entities: unknown[] = APPROVAL_ENTITIES;
    const entityTables = getMetadataArgsStorage()
      .tables.filter((t) => entities.includes(t.target))
      .map((t) => t.name ?? '');
    // when
    const tables = await tablesAfterMigrations('approval_table_check');
    // then
    expect(tables.filter((t) => !entityTables.includes(t) && !(t in LIBRARY_TABLES))).toEqual([]);
    expect(entityTables.filter((t) => !tables.includes(t))).toEqual([]);
  });
});
