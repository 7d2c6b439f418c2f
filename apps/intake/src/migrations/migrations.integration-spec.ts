import { STACK, schemaDriftAfterMigrations, sql } from '@gov/testing';
import { DataSource, getMetadataArgsStorage } from 'typeorm';
import { MatterElementsSchema } from '../matters/matter-version';
import { INTAKE_ENTITIES } from '../entities';
import { type TestIntake, startTestIntake } from '../testing/test-app';
import { INTAKE_MIGRATIONS } from './index';

// Tables the shared libs' migrations create (messaging's outbox/inbox, the kit's idempotency keys) and TypeORM's own.
const LIBRARY_TABLES = ['dead_letters', 'idempotency_keys', 'inbox', 'migrations', 'outbox', 'rate_limits'];

describe('intake migrations', () => {
  it('match every entity (an entity changed without a migration fails here)', async () => {
    expect(await schemaDriftAfterMigrations('intake_drift_check', INTAKE_MIGRATIONS, INTAKE_ENTITIES)).toEqual([]);
  });

  it('give every matter of a catalogue from before versions a published version 1, and its applications matter_version 1', async () => {
    // given a database migrated up to the catalogue without versions, with a matter and an application on it
    const database = 'intake_versions_upgrade';
    await sql('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await sql('postgres', `CREATE DATABASE ${database}`);
    const before = INTAKE_MIGRATIONS.findIndex((m) => m.name === 'MatterVersions1764700000100');
    const open = (migrations: typeof INTAKE_MIGRATIONS) =>
      new DataSource({ type: 'postgres', host: STACK.pg.host, port: STACK.pg.port, username: 'postgres', database, migrations, migrationsTransactionMode: 'each' }).initialize();
    try {
      const old = await open(INTAKE_MIGRATIONS.slice(0, before));
      await old.runMigrations();
      await old.query(`INSERT INTO matters (code, name, kind, department_code, tenant_id, process_key, time_limit_working_days, legal_basis) VALUES ('OLD-MATTER-1', '旧事项', '审批', '11449900000000111Y', '449900', 'skeleton-approval', 7, '《某法》'), ('OLD-MATTER-2', '停办事项', '备案', '11449900000000111Y', '449900', 'skeleton-approval', 3, '')`);
      await old.query(`UPDATE matters SET active = false WHERE code = 'OLD-MATTER-2'`);
      await old.query(`INSERT INTO applications (id, case_number, matter_code, tenant_id, applicant_kind, applicant_id, applicant_name, form, status, accepted_at, department_code) VALUES (gen_random_uuid(), '449900-20261101-000001', 'OLD-MATTER-1', '449900', 'person', '449901198503120015', '张三', '{}', 'accepted', now(), '11449900000000111Y')`);
      await old.destroy();
      // when the rest of the migrations run
      const upgraded = await open(INTAKE_MIGRATIONS);
      await upgraded.runMigrations();
      // then
      const versions = await upgraded.query<Array<{ code: string; version: number; state: string; elements: unknown }>>(`SELECT code, version, state, elements FROM matter_versions ORDER BY code`);
      const matters = await upgraded.query(`SELECT code, current_version, secret FROM matters ORDER BY code`);
      const applications = await upgraded.query(`SELECT matter_code, matter_version FROM applications`);
      await upgraded.destroy();
      expect(versions.map((v) => [v.code, v.version, v.state])).toEqual([
        ['OLD-MATTER-1', 1, 'published'],
        ['OLD-MATTER-2', 1, 'retired'],
      ]);
      const elements = MatterElementsSchema.parse(versions[0].elements);
      expect(elements).toMatchObject({ name: '旧事项', kind: '审批', legalBasis: ['《某法》'], promisedWorkingDays: 7, processKey: 'skeleton-approval', onlineClass: 'A' });
      expect(MatterElementsSchema.safeParse(versions[1].elements).success).toBe(true);
      expect(matters).toEqual([
        { code: 'OLD-MATTER-1', current_version: 1, secret: false },
        { code: 'OLD-MATTER-2', current_version: null, secret: false },
      ]);
      expect(applications).toEqual([{ matter_code: 'OLD-MATTER-1', matter_version: 1 }]);
    } finally {
      await sql('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }
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

