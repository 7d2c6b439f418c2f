import { randomBytes } from 'node:crypto';
import { STACK } from '@gov/testing';
import { DataSource } from 'typeorm';
import { APPROVAL_MIGRATIONS } from '../migrations';
import { OpinionsLedger1763800000202 } from '../migrations/1763800000202-opinions-ledger';
import { type OpinionRecord, OpinionsRepository, opinionHash } from './opinions.repository';

const SUPERUSER = process.env['PG_SUPERUSER'] ?? 'postgres';

function source(database: string, migrations: typeof APPROVAL_MIGRATIONS): DataSource {
  return new DataSource({ type: 'postgres', host: STACK.pg.host, port: STACK.pg.port, username: SUPERUSER, database, migrations, migrationsTransactionMode: 'each' });
}

const opinion = (caseNumber: string, taskId: string, createdAt = new Date()): OpinionRecord => ({
  caseNumber,
  taskId,
  taskDefinitionKey: 'HandlerReview',
  stepName: '承办人审查',
  officerId: 'officer-1',
  officerLabel: '承办人刘明',
  outcome: 'approve',
  opinion: '材料齐全，拟同意。',
  createdAt,
});

describe('opinions on the ledger (real PostgreSQL)', () => {
  const database = `approval_ledger_${randomBytes(4).toString('hex')}`;
  let ds: DataSource;
  let repo: OpinionsRepository;
  beforeAll(async () => {
    const admin = source('postgres', []);
    await admin.initialize();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.destroy();
    // given opinions written by the pre-ledger code (one global chain, the old hash)...
    // every migration before the opinions ledger's (later ones may follow it)
    const before = source(database, APPROVAL_MIGRATIONS.slice(0, APPROVAL_MIGRATIONS.indexOf(OpinionsLedger1763800000202)));
    await before.initialize();
    await before.runMigrations();
    let prev = '0'.repeat(64);
    for (const c of ['441200-20261201-000001', '441200-20261201-000002']) {
      await before.query(`INSERT INTO cases (case_number, application_id, tenant_id, matter_code, matter_name, department_code, process_key, status, accepted_at) VALUES ($1, gen_random_uuid(), 't', 'm', 'n', 'd', 'p', 'running', now())`, [c]);
    }
    for (const [i, c] of ['441200-20261201-000001', '441200-20261201-000002', '441200-20261201-000001'].entries()) {
      const o = opinion(c, `legacy-${i}`, new Date(Date.UTC(2026, 11, 1, 8, i)));
      const hash = opinionHash(prev, o);
      await before.query(
        `INSERT INTO opinions (case_number, task_id, task_definition_key, step_name, officer_id, officer_label, outcome, opinion, created_at, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
        [o.caseNumber, o.taskId, o.taskDefinitionKey, o.stepName, o.officerId, o.officerLabel, o.outcome, o.opinion, o.createdAt, prev, hash],
      );
      prev = hash;
    }
    await before.destroy();
    // ...then the ledger migration
    ds = source(database, APPROVAL_MIGRATIONS);
    await ds.initialize();
    await ds.runMigrations();
    repo = new OpinionsRepository(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    const admin = source('postgres', []);
    await admin.initialize();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.destroy();
  });

  it('keeps the legacy chain untouched, records its head, and chains new opinions per case', async () => {
    // when
    const a = await ds.transaction((m) => repo.append(m, opinion('441200-20261201-000001', 'new-1')));
    const b = await ds.transaction((m) => repo.append(m, opinion('441200-20261201-000002', 'new-2')));
    const c = await ds.transaction((m) => repo.append(m, opinion('441200-20261201-000001', 'new-3')));
    // then
    const [head] = await ds.query<Array<{ records: string; last_seq: string }>>(`SELECT records::text, last_seq::text FROM ledger_legacy_heads WHERE ledger = 'approval.opinions'`);
    expect(head).toEqual({ records: '3', last_seq: '3' });
    expect([a.seq, b.seq, c.seq]).toEqual(['1', '1', '2']);
    expect(c.prevHash).toBe(a.hash);
    const forCase = await repo.forCase('441200-20261201-000001');
    expect(forCase.map((o) => o.taskId)).toEqual(['legacy-0', 'legacy-2', 'new-1', 'new-3']);
    expect(await repo.verifyChain()).toBeNull();
    expect(await repo.verify()).toMatchObject({ ok: true, checked: 6 });
  });

  it('names the first broken opinion, in the legacy chain or in a case chain', async () => {
    // given
    await ds.query(`ALTER TABLE opinions DISABLE TRIGGER opinions_no_update`);
    try {
      // when a new opinion is edited around the trigger
      const [target] = await ds.query<Array<{ id: string }>>(`SELECT id::text FROM opinions WHERE task_id = 'new-3'`);
      await ds.query(`UPDATE opinions SET opinion = '不同意' WHERE id = $1`, [target.id]);
      // then
      expect(await repo.verifyChain()).toBe(target.id);
      await ds.query(`UPDATE opinions SET opinion = '材料齐全，拟同意。' WHERE id = $1`, [target.id]);
      expect(await repo.verifyChain()).toBeNull();
      // when a legacy opinion is edited
      const [legacy] = await ds.query<Array<{ id: string }>>(`SELECT id::text FROM opinions WHERE task_id = 'legacy-1'`);
      await ds.query(`UPDATE opinions SET officer_id = 'someone-else' WHERE id = $1`, [legacy.id]);
      // then
      expect(await repo.verify()).toMatchObject({ ok: false, firstBroken: { partition: '(legacy)', record: legacy.id, reason: 'content-edited' } });
    } finally {
      await ds.query(`ALTER TABLE opinions ENABLE ALWAYS TRIGGER opinions_no_update`);
    }
  });
});
