import { schemaDriftAfterMigrations } from '@gov/testing';
import { getMetadataArgsStorage } from 'typeorm';
import { INTAKE_ENTITIES } from '../entities';
import { type TestIntake, startTestIntake } from '../testing/test-app';
import { INTAKE_MIGRATIONS } from './index';

// Tables the shared libs' migrations create (messaging's outbox/inbox, the kit's idempotency keys) and TypeORM's own.
const LIBRARY_TABLES = ['dead_letters', 'idempotency_keys', 'inbox', 'migrations', 'outbox', 'rate_limits'];

describe('intake migrations', () => {
  it('match every entity (an entity changed without a migration fails here)', async () => {
    expect(await schemaDriftAfterMigrations('intake_drift_check', INTAKE_MIGRATIONS, INTAKE_ENTITIES)).toEqual([]);
  });

  describe('on a migrated database', () => {
    let t: TestIntake;
    beforeAll(async () => {
      t = await startTestIntake({ DEMO_SEED: 'false' });
    });
    afterAll(async () => {
      await t.close();
    });

    it('create no table without an entity (a table added by a migration alone fails here)', async () => {
      // given the tables the entities map
      const mapped = getMetadataArgsStorage()
        .tables.filter((table) => (INTAKE_ENTITIES as unknown[]).includes(table.target))
        .map((table) => table.name);
      // when
      const tables = await t.ownerQuery<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
      // then
      expect(tables.map((r) => r.table_name).filter((name) => !LIBRARY_TABLES.includes(name))).toEqual([...mapped].sort());
      expect(mapped).toHaveLength(INTAKE_ENTITIES.length);
    });

    it('give the application role data access only, no DDL', async () => {
      await expect(t.appQuery('CREATE TABLE x (id int)')).rejects.toThrow(/permission denied/);
      await expect(t.appQuery('DROP TABLE matters')).rejects.toThrow(/must be owner|permission denied/);
    });
  });
});

