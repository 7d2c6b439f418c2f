import { randomBytes, randomUUID } from 'node:crypto';
import { STACK } from '@gov/testing';
import { DataSource } from 'typeorm';
import { SUPERVISION_MIGRATIONS } from '../migrations';
import { AlertsLedger1763800000302 } from '../migrations/1763800000302-alerts-ledger';
import { AlertsRepository, alertHash } from './alerts.repository';

const SUPERUSER = process.env['PG_SUPERUSER'] ?? 'postgres';

function source(database: string, migrations: typeof SUPERVISION_MIGRATIONS): DataSource {
  return new DataSource({ type: 'postgres', host: STACK.pg.host, port: STACK.pg.port, username: SUPERUSER, database, migrations, migrationsTransactionMode: 'each' });
}

const CASES = ['441200-20261201-000011', '441200-20261201-000012'];

describe('alerts on the ledger (real PostgreSQL)', () => {
  const database = `supervision_ledger_${randomBytes(4).toString('hex')}`;
  let ds: DataSource;
  let repo: AlertsRepository;
  beforeAll(async () => {
    const admin = source('postgres', []);
    await admin.initialize();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.destroy();
    // given alerts written by the pre-ledger code (one global chain, the old hash)...
    const before = source(database, SUPERVISION_MIGRATIONS.slice(0, SUPERVISION_MIGRATIONS.indexOf(AlertsLedger1763800000302)));
    await before.initialize();
    await before.runMigrations();
    for (const [i, c] of [...CASES, ...CASES].entries()) {
      await before.query(`INSERT INTO steps (step_id, case_number, process_instance_id, task_definition_key, opened_at, deadline) VALUES ($1, $2, 'pi', 'HandlerReview', now(), now())`, [`step-${i}`, c]);
    }
    let prev = '0'.repeat(64);
    for (const i of [0, 1]) {
      const a = { id: randomUUID(), stepId: `step-${i}`, caseNumber: CASES[i], level: 'yellow' as const, deadline: new Date(Date.UTC(2026, 11, 2)), raisedAt: new Date(Date.UTC(2026, 11, 1, 8, i)) };
      const hash = alertHash(prev, a);
      await before.query(`INSERT INTO alerts (id, step_id, case_number, level, deadline, raised_at, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, [a.id, a.stepId, a.caseNumber, a.level, a.deadline, a.raisedAt, prev, hash]);
      prev = hash;
    }
    await before.destroy();
    // ...then the ledger migration
    ds = source(database, SUPERVISION_MIGRATIONS);
    await ds.initialize();
    await ds.runMigrations();
    repo = new AlertsRepository(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    const admin = source('postgres', []);
    await admin.initialize();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.destroy();
  });

  it('appends once per step and level, chains per case after the frozen legacy chain, and lists in ledger order', async () => {
    // when
    const raised = { deadline: new Date(), raisedAt: new Date() };
    const red = await ds.transaction((m) => repo.appendOnce(m, { stepId: 'step-0', caseNumber: CASES[0], level: 'red', ...raised }));
    const again = await ds.transaction((m) => repo.appendOnce(m, { stepId: 'step-0', caseNumber: CASES[0], level: 'red', ...raised }));
    const other = await ds.transaction((m) => repo.appendOnce(m, { stepId: 'step-3', caseNumber: CASES[1], level: 'yellow', ...raised }));
    // then
    expect(red).not.toBeNull();
    expect(again).toBeNull();
    expect(other?.prevHash).toBe('0'.repeat(64));
    expect((await repo.list({})).map((a) => a.stepId)).toEqual(['step-0', 'step-1', 'step-0', 'step-3']);
    expect(await repo.verifyChain()).toMatchObject({ checked: 4, firstBroken: null });
  });

  it('names the alert edited around the trigger, legacy or new (what the stack e2e test asserts)', async () => {
    for (const victimSql of [`SELECT id::text, level FROM alerts WHERE step_id = 'step-1'`, `SELECT id::text, level FROM alerts WHERE step_id = 'step-3'`]) {
      // given
      const [victim] = await ds.query<Array<{ id: string; level: string }>>(victimSql);
      const tamper = (level: string) => ds.query(`ALTER TABLE alerts DISABLE TRIGGER alerts_no_update; UPDATE alerts SET level = '${level}' WHERE id = '${victim.id}'; ALTER TABLE alerts ENABLE ALWAYS TRIGGER alerts_no_update;`);
      // when
      await tamper(victim.level === 'red' ? 'yellow' : 'red');
      try {
        // then
        expect((await repo.verifyChain()).firstBroken).toBe(victim.id);
      } finally {
        await tamper(victim.level);
      }
      expect((await repo.verifyChain()).firstBroken).toBeNull();
    }
  });
});
