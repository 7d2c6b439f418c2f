import { randomBytes } from 'node:crypto';
import type { ReanchorCheck, ReanchorStatement } from '@gov/ledger';
import { STACK } from '@gov/testing';
import { DataSource } from 'typeorm';
import { IDENTITY_MIGRATIONS } from '../migrations';
import { AuditRepository, LEGACY_PARTITION, REANCHOR_ACTION, verifyAuditTrail } from './audit.repository';
import { GENESIS_HASH, chainHash } from './hash-chain';

const SUPERUSER = process.env['PG_SUPERUSER'] ?? 'postgres';

function source(database: string, migrations: typeof IDENTITY_MIGRATIONS): DataSource {
  return new DataSource({ type: 'postgres', host: STACK.pg.host, port: STACK.pg.port, username: SUPERUSER, database, migrations, migrationsTransactionMode: 'each' });
}

/** Stands in for identity's anchoring-key signature check (tested in anchors.integration-spec.ts). */
function trusting(statement: ReanchorStatement): ReanchorCheck {
  return {
    async verify(signature: unknown) {
      if (signature !== 'signed-by-the-anchoring-key') throw new Error('bad signature');
      return statement;
    },
  };
}

describe('audit trail written before the ledger (real PostgreSQL)', () => {
  const database = `identity_legacy_${randomBytes(4).toString('hex')}`;
  let ds: DataSource;
  beforeAll(async () => {
    const admin = source('postgres', []);
    await admin.initialize();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.destroy();
    // given a pre-ledger trail whose second record was hashed over "ab\ud800cd" and stored as "ab\uFFFDcd" (issue 7)
    const before = source(database, IDENTITY_MIGRATIONS.filter((m) => !/AuditLedger|CreatedAt/.test(m.name)));
    await before.initialize();
    await before.runMigrations();
    let prev = GENESIS_HASH;
    for (const [i, actor] of ['admin', 'ab\ud800cd', 'officer'].entries()) {
      const fields = { seq: String(i + 1), at: new Date(Date.UTC(2026, 10, 30, 8, i)).toISOString(), actor, actorLabel: null, action: 'auth.login', target: null, outcome: 'failure', ip: '10.0.0.1', details: {} };
      const hash = chainHash(prev, fields);
      await before.query(`INSERT INTO audit_log (seq, at, actor, action, outcome, ip, details, prev_hash, hash) VALUES ($1, $2, $3, 'auth.login', 'failure', '10.0.0.1', '{}', $4, $5)`, [
        fields.seq,
        fields.at,
        actor.replace('\ud800', '\uFFFD'),
        prev,
        hash,
      ]);
      prev = hash;
    }
    await before.destroy();
    // ...then the ledger migration
    ds = source(database, IDENTITY_MIGRATIONS);
    await ds.initialize();
    await ds.runMigrations();
  });
  afterAll(async () => {
    await ds.destroy();
    const admin = source('postgres', []);
    await admin.initialize();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.destroy();
  });

  it('freezes the legacy chain at its head and appends new records to per-service chains', async () => {
    // when
    const repo = new AuditRepository(ds);
    const next = await repo.append({ actor: 'admin', action: 'auth.login', outcome: 'success' });
    // then the legacy rows are untouched, the global order goes on, and the legacy break is reported
    expect(next).toMatchObject({ seq: '4', chainPartition: 'identity', chainSeq: '1' });
    const [head] = await ds.query<Array<{ records: string; last_seq: string }>>(`SELECT records::text, last_seq::text FROM ledger_legacy_heads`);
    expect(head).toEqual({ records: '3', last_seq: '3' });
    expect(await verifyAuditTrail(ds)).toMatchObject({ ok: false, brokenAt: '2', firstBroken: { partition: LEGACY_PARTITION, seq: '2', reason: 'content-edited' } });
  });

  it('acknowledges the legacy break through a validly signed re-anchor record, and only then', async () => {
    // given a re-anchor record naming the break (what POST /ledger/reanchor appends)
    const repo = new AuditRepository(ds);
    const statement: ReanchorStatement = { ledger: 'identity.audit', partition: LEGACY_PARTITION, seq: '3', hash: (await repo.legacyHead())!.hash, brokenAt: '2', reason: 'stored as U+FFFD before the fix' };
    const re = await repo.append({ actor: 'sysadmin', action: REANCHOR_ACTION, outcome: 'success', details: { reanchor: statement, signature: 'signed-by-the-anchoring-key' } });
    await repo.append({ actor: 'admin', action: 'auth.logout', outcome: 'success' });
    // when / then: with the signature check the break is acknowledged and everything else verifies
    expect(await verifyAuditTrail(ds, { reanchors: trusting(statement) })).toMatchObject({ ok: true, acknowledged: [{ partition: LEGACY_PARTITION, seq: '2', reanchoredAt: re.seq }], firstBroken: null });
    // a re-anchor for another break acknowledges nothing
    expect(await verifyAuditTrail(ds, { reanchors: trusting({ ...statement, brokenAt: '1' }) })).toMatchObject({ ok: false, brokenAt: '2' });
    // and without the signature check (e.g. the command line) the break stays reported
    expect(await verifyAuditTrail(ds)).toMatchObject({ ok: false, brokenAt: '2' });
  });

  it('detects a legacy record added after the chain was frozen', async () => {
    // when
    await ds.query(`INSERT INTO audit_log (seq, at, actor, action, outcome, details, prev_hash, hash) VALUES (1000, now(), 'x', 'auth.login', 'success', '{}', $1, $1)`, ['f'.repeat(64)]);
    // then
    const v = await verifyAuditTrail(ds, { reanchors: trusting({ ledger: 'identity.audit', partition: LEGACY_PARTITION, seq: '3', hash: '', brokenAt: '2', reason: 'x' }) });
    expect(v.ok).toBe(false);
    expect(v.firstBroken?.partition).toBe(LEGACY_PARTITION);
  });
});
