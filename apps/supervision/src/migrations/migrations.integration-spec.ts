import { dataSourceOptions } from '@gov/service-kit';
import { DataSource, getMetadataArgsStorage } from 'typeorm';
import { SUPERVISION_ENTITIES } from '../entities';
import { type TestSupervision, startTestSupervision } from '../testing/test-app';

// Tables the migrations create that belong to the shared libs (their own migrations and tests), not to supervision.
const KIT_TABLES = ['dead_letters', 'idempotency_keys', 'inbox', 'migrations', 'outbox', 'rate_limits'];

describe('supervision migrations', () => {
  let t: TestSupervision;
  beforeAll(async () => {
    t = await startTestSupervision({}, { consumers: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('leave nothing for the ORM to change: every supervision entity matches the committed migrations', async () => {
    // given the migrated database
    const ds = new DataSource(dataSourceOptions(t.config, t.database, { entities: SUPERVISION_ENTITIES, role: 'owner', poolSize: 1 }));
    await ds.initialize();
    try {
      // when TypeORM computes the schema it would need
      const log = await ds.driver.createSchemaBuilder().log();
      // then nothing, except drops of the integrity constraints kept in the migrations only (foreign keys, checks)
      const queries = log.upQueries.map((q) => q.query);
      const keptOut = /DROP CONSTRAINT "(alerts_step_id_fkey|alerts_level_check|calendar_overrides_kind_check|alert_stream_kind_check|tally_flags_scope_check|tally_flags_consequence_check|supervision_orders_target_kind_check|supervision_orders_kind_check)"$/;
      expect(queries.filter((q) => !keptOut.test(q))).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('create no table without an entity', async () => {
    // given
    const entityTables = SUPERVISION_ENTITIES.map((e) => getMetadataArgsStorage().tables.find((table) => table.target === e)?.name);
    // when
    const tables = await t.ownerQuery<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
    // then
    expect(tables.map((r) => r.table_name).sort()).toEqual([...entityTables, ...KIT_TABLES].sort());
  });

  it('keep the alert ledger append-only for the application role', async () => {
    const grants = await t.ownerQuery<{ privilege_type: string }>(`SELECT privilege_type FROM information_schema.role_table_grants WHERE table_name = 'alerts' AND grantee = 'gov_app' ORDER BY 1`);
    expect(grants.map((g) => g.privilege_type)).not.toContain('DELETE');
    await expect(t.appQuery(`UPDATE alerts SET level = 'yellow'`)).rejects.toThrow();
  });
});
