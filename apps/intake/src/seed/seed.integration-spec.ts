import { ConfigError } from '@gov/service-kit';
import { loadIntakeConfig } from '../config';
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
      const rows = await t.ownerQuery('SELECT code FROM matters');
      // then
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
      expect(rows).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('puts the demo matter in place before the service listens, and again idempotently over a row the old migration left', async () => {
    // given a service started in test mode (the seed ran at start)
    const t = await startTestIntake();
    try {
      const seed = t.app.get(SeedService);
      const listed = await http<Array<{ code: string }>>(`${t.url}/matters/${DEMO_MATTER}`);
      // and the row as the earlier initial migration inserted it, referenced by an application
      await t.ownerQuery(`DELETE FROM matters`);
      await t.ownerQuery(
        `INSERT INTO matters (code, name, kind, department_code, tenant_id, process_key, time_limit_working_days, legal_basis)
         VALUES ('DEMO-SCJG-001', '食品经营许可（演示）', '审批', '11449900000000111Y', '449900', 'skeleton-approval', 7, '《食品经营许可和备案管理办法》')`,
      );
      // when the seed runs again, twice (a restart, a second replica)
      const first = await seed.run();
      const second = await seed.run();
      // then the row is left as it is, once
      expect(listed.status).toBe(200);
      expect(first).toEqual({ written: 0 });
      expect(second).toEqual({ written: 0 });
      const rows = await t.ownerQuery<{ code: string; name: string }>('SELECT code, name FROM matters');
      expect(rows).toEqual(DEMO_MATTERS.map((m) => ({ code: m.code, name: m.name })));
    } finally {
      await t.close();
    }
  });

  it('brings a changed or retired demo matter back to its definition', async () => {
    // given
    const t = await startTestIntake();
    try {
      await t.ownerQuery(`UPDATE matters SET time_limit_working_days = 30, active = false WHERE code = $1`, [DEMO_MATTER]);
      // when
      const result = await t.app.get(SeedService).run();
      // then
      expect(result).toEqual({ written: 1 });
      expect(await t.ownerQuery('SELECT time_limit_working_days, active FROM matters WHERE code = $1', [DEMO_MATTER])).toEqual([{ time_limit_working_days: 7, active: true }]);
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
