import { ConfigError } from '@gov/service-kit';
import { loadIntakeConfig } from '../config';
import { MatterCatalogue } from '../matters/catalogue/matter-catalogue';
import { DEMO_MATTER, http, startTestIntake } from '../testing/test-app';
import { DEMO_MATTERS } from './demo-data';
import { SeedService } from './seed.service';

describe('the demo seed', () => {
  it('is not in the migrations: without the seed the catalogue is empty', async () => {
    // given a database with the committed migrations only
    const t = await startTestIntake({ DEMO_SEED: 'false' });
    try {
      // when
      const res = await http<unknown[]>(`${t.url}/matters`);
      const rows = await t.ownerQuery('SELECT code FROM matters UNION ALL SELECT code FROM matter_versions');
      // then
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
      expect(rows).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('publishes every demo matter as version 1 before the service listens, audited, and writes nothing when run again', async () => {
    // given a service started in test mode (the seed ran at start)
    const t = await startTestIntake();
    try {
      const seed = t.app.get(SeedService);
      const catalogue = t.app.get(MatterCatalogue);
      const listed = await http(`${t.url}/matters/${DEMO_MATTER}`);
      // when the seed runs again, twice (a restart, a second replica)
      const first = await seed.run();
      const second = await seed.run();
      // then
      expect(listed.status).toBe(200);
      expect(first).toEqual({ written: 0 });
      expect(second).toEqual({ written: 0 });
      const versions = await t.ownerQuery<{ code: string; version: number; state: string }>(`SELECT code, version, state FROM matter_versions ORDER BY code`);
      expect(versions).toEqual([...DEMO_MATTERS].map((m) => ({ code: m.code, version: 1, state: 'published' })).sort((a, b) => a.code.localeCompare(b.code)));
      const published = await catalogue.published(DEMO_MATTER);
      expect(published).toMatchObject({ code: DEMO_MATTER, version: 1, state: 'published', draftedBy: 'demo-seed', elements: { name: DEMO_MATTERS[0].elements.name } });
      expect(await catalogue.version(DEMO_MATTER, 1)).toEqual(published);
      expect(await catalogue.version(DEMO_MATTER, 2)).toBeNull();
      const audit = await t.ownerQuery<{ action: string; n: string }>(`SELECT action, count(*)::text AS n FROM matter_changes GROUP BY action`);
      expect(audit).toEqual([{ action: 'seeded', n: String(DEMO_MATTERS.length) }]);
    } finally {
      await t.close();
    }
  });

  it('brings a retired or migrated demo matter back to its definition with a new version, and leaves the old one to the cases that used it', async () => {
    // given the demo matter retired, and another whose version in force is a bare one the migration wrote
    const t = await startTestIntake();
    const other = DEMO_MATTERS[1] ?? DEMO_MATTERS[0];
    try {
      await t.ownerQuery(`UPDATE matters SET active = false WHERE code = $1`, [DEMO_MATTER]);
      if (other.code !== DEMO_MATTER) {
        await t.ownerQuery(`UPDATE matter_versions SET drafted_by = 'migration', elements = jsonb_set(elements, '{materials}', '[]') WHERE code = $1`, [other.code]);
      }
      // when
      const result = await t.app.get(SeedService).run();
      // then
      expect(result).toEqual({ written: other.code === DEMO_MATTER ? 1 : 2 });
      const rows = await t.ownerQuery<{ version: number; state: string }>('SELECT version, state FROM matter_versions WHERE code = $1 ORDER BY version', [DEMO_MATTER]);
      expect(rows).toEqual([{ version: 1, state: 'retired' }, { version: 2, state: 'published' }]);
      expect(await t.ownerQuery('SELECT active, current_version, time_limit_working_days FROM matters WHERE code = $1', [DEMO_MATTER])).toEqual([{ active: true, current_version: 2, time_limit_working_days: 7 }]);
      expect((await t.app.get(MatterCatalogue).published(other.code))?.elements.materials).toHaveLength(other.elements.materials?.length ?? 0);
    } finally {
      await t.close();
    }
  });

  it('leaves alone a version officers published through the change procedure', async () => {
    // given the version in force drafted by an officer (not the seed)
    const t = await startTestIntake();
    try {
      await t.ownerQuery(`UPDATE matter_versions SET drafted_by = 'officer-1', elements = jsonb_set(elements, '{promisedWorkingDays}', '5') WHERE code = $1`, [DEMO_MATTER]);
      // when
      const result = await t.app.get(SeedService).run();
      // then
      expect(result).toEqual({ written: 0 });
      expect((await t.app.get(MatterCatalogue).published(DEMO_MATTER))?.elements.promisedWorkingDays).toBe(5);
    } finally {
      await t.close();
    }
  });

  it('is off by default in production and refused there when asked for', () => {
    expect(loadIntakeConfig({ NODE_ENV: 'production' }).values.demoSeed).toBe(false);
    expect(loadIntakeConfig({ NODE_ENV: 'development' }).values.demoSeed).toBe(true);
    expect(loadIntakeConfig({ NODE_ENV: 'test' }).values.demoSeed).toBe(true);
    expect(() => loadIntakeConfig({ NODE_ENV: 'production', DEMO_SEED: 'true' })).toThrow(ConfigError);
    expect(() => loadIntakeConfig({ NODE_ENV: 'production', DEMO_SEED: 'true' })).toThrow(/DEMO_SEED/);
  });
});
