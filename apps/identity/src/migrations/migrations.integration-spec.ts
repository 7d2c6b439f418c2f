import { DataSource, type QueryRunner } from 'typeorm';
import { ApplicantKind } from '@gov/contracts';
import { ApplicantKindSpelling1763830000500 } from './1763830000500-applicant-kind-spelling';
import { dataSourceOptions } from '@gov/service-kit';
import { IDENTITY_ENTITIES } from '../entities';
import { startTestIdentity, type TestIdentity } from '../testing/test-app';

describe('migrations', () => {
  let t: TestIdentity;
  beforeAll(async () => {
    t = await startTestIdentity({ DEMO_SEED: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('leave nothing for the ORM to change: the entities match the committed migrations', async () => {
    // given the migrated database
    const ds = new DataSource(dataSourceOptions(t.config, t.database, { entities: IDENTITY_ENTITIES, role: 'owner', poolSize: 1 }));
    await ds.initialize();
    try {
      // when TypeORM computes the schema it would need
      const log = await ds.driver.createSchemaBuilder().log();
      // then only the integrity constraints kept out of the entities (fk_/ck_) show up, as drops
      const drift = log.upQueries.map((q) => q.query).filter((q) => !/DROP CONSTRAINT "(fk|ck)_/.test(q));
      expect(drift).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('gives the application role no DDL and no UPDATE/DELETE on the audit table', async () => {
    const grants = await t.ownerQuery<{ privilege_type: string }>(`SELECT privilege_type FROM information_schema.role_table_grants WHERE table_name = 'audit_log' AND grantee = 'gov_app' ORDER BY 1`);
    expect(grants.map((g) => g.privilege_type)).toEqual(['INSERT', 'SELECT']);
    await expect(t.appQuery('CREATE TABLE x (id int)')).rejects.toThrow(/permission denied/);
  });

  it('rewrites the old legal_entity spelling of the applicant kind to the one in contracts', async () => {
    // given a user stored before the rename
    await t.ownerQuery(`INSERT INTO users (id, username, display_name, kind, password_hash, applicant_kind, applicant_id) VALUES (gen_random_uuid(), 'old.company', '旧公司', 'applicant', 'x', 'legal_entity', '91449901MA0000002X')`);
    // when the migration runs
    await new ApplicantKindSpelling1763830000500().up({ query: (sql: string) => t.ownerQuery(sql) } as unknown as QueryRunner);
    // then
    expect(await t.ownerQuery(`SELECT applicant_kind FROM users WHERE username = 'old.company'`)).toEqual([{ applicant_kind: ApplicantKind.LegalEntity }]);
  });
});
