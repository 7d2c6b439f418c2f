import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { STACK } from '@gov/testing';
import { type AnchorSource, type CheckedAnchor } from './anchors';
import { Ledger, type Sql } from './ledger';

const SUPERUSER = process.env['PG_SUPERUSER'] ?? 'postgres';

const ledger = new Ledger({
  ledger: 'test.records',
  table: 'records',
  rowIdColumn: 'id',
  fields: {
    body: { column: 'body', type: 'text' },
    at: { column: 'at', type: 'timestamptz' },
    details: { column: 'details', type: 'jsonb' },
  },
});

async function connect(database: string): Promise<Client> {
  const c = new Client({ host: STACK.pg.host, port: STACK.pg.port, user: SUPERUSER, database });
  await c.connect();
  return c;
}

const sql = (c: Client): Sql => ({ query: async (text: string, params?: unknown[]): Promise<unknown> => (await c.query(text, params)).rows as unknown });

async function inTx<T>(c: Client, fn: (db: Sql) => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    const r = await fn(sql(c));
    await c.query('COMMIT');
    return r;
  } catch (e) {
    await c.query('ROLLBACK');
    throw e;
  }
}

/** Anchors held in memory, as identity would serve them (signatures are identity's concern, tested there). */
function memoryAnchors(list: CheckedAnchor[]): AnchorSource {
  return {
    async *latest() {
      yield list;
    },
  };
}

describe('ledger (real PostgreSQL)', () => {
  const database = `ledger_test_${randomBytes(4).toString('hex')}`;
  let a: Client;
  let b: Client;
  beforeAll(async () => {
    const admin = await connect('postgres');
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    a = await connect(database);
    b = await connect(database);
    await a.query(`CREATE TABLE records (id bigserial PRIMARY KEY, body text NOT NULL, at timestamptz NOT NULL, details jsonb NOT NULL,
      chain_partition text COLLATE "C", chain_seq bigint, prev_hash text NOT NULL, hash text NOT NULL, UNIQUE (chain_partition, chain_seq))`);
  });
  afterAll(async () => {
    await a.end();
    await b.end();
    const admin = await connect('postgres');
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('hashes exactly what PostgreSQL stores: microsecond timestamps, jsonb key order and numbers', async () => {
    // given records whose stored form differs from what JS holds
    await inTx(a, (db) => ledger.append(db, 'p1', { body: 'a\u0000b \ud800 张', at: '2026-12-01T08:00:00.123456Z', details: { z: 1, a: [1.0, 1e21, 0.1], 'k\u0000': 'v', nested: { b: 2, a: 1 } } }));
    await inTx(a, (db) => ledger.append(db, 'p1', { body: 'second', at: new Date('2026-12-01T08:00:01.5Z'), details: {} }));
    // when the rows are read back and the chain verified
    const verdict = await ledger.verify(sql(a));
    const [row] = (await a.query(`SELECT body, details::text AS d, to_char(at AT TIME ZONE 'UTC', 'US') AS us FROM records WHERE chain_seq = 1`)).rows as Array<{ body: string; d: string; us: string }>;
    // then
    expect(verdict).toMatchObject({ ok: true, checked: 2, partitions: 1 });
    expect(row.body).toBe('a\\u0000b \\ud800 张');
    expect(row.us).toBe('123456');
  });

  it('lets appends to different partitions proceed while one partition is locked, and serialises one partition', async () => {
    // given a transaction holding partition p2's append lock
    await a.query('BEGIN');
    await ledger.append(sql(a), 'p2', { body: 'held', at: new Date(), details: {} });
    try {
      // when another connection appends to p3 and to p2, with a lock timeout
      await b.query(`SET lock_timeout = '300ms'`);
      const other = await inTx(b, (db) => ledger.append(db, 'p3', { body: 'free', at: new Date(), details: {} }));
      const same = inTx(b, (db) => ledger.append(db, 'p2', { body: 'waits', at: new Date(), details: {} }));
      // then p3 did not wait; p2 had to
      expect(other.seq).toBe('1');
      await expect(same).rejects.toThrow(/lock timeout/);
    } finally {
      await a.query('COMMIT');
      await b.query(`RESET lock_timeout`);
    }
    const p2 = await inTx(b, (db) => ledger.append(db, 'p2', { body: 'after', at: new Date(), details: {} }));
    expect(p2.seq).toBe('2');
  });

  it('reports the first broken record with a reason: content edited, link broken, seq gap', async () => {
    // given a longer chain
    for (let i = 0; i < 5; i++) await inTx(a, (db) => ledger.append(db, 'p4', { body: `r${i}`, at: new Date(), details: { i } }));
    // when one record is edited
    await a.query(`UPDATE records SET body = 'edited' WHERE chain_partition = 'p4' AND chain_seq = 3`);
    // then
    expect((await ledger.verify(sql(a), { pageSize: 2 })).firstBroken).toMatchObject({ partition: 'p4', seq: '3', reason: 'content-edited' });
    // when a record's hash is recomputed to hide the edit, the next link breaks
    const [r3] = (await a.query(`SELECT prev_hash FROM records WHERE chain_partition = 'p4' AND chain_seq = 3`)).rows as Array<{ prev_hash: string }>;
    const rows = [];
    for await (const r of ledger.records(sql(a), { partition: 'p4' })) rows.push(r);
    await a.query(`UPDATE records SET hash = $1 WHERE chain_partition = 'p4' AND chain_seq = 3`, [ledger.hashOf('p4', '3', r3.prev_hash, rows[2].fields)]);
    expect((await ledger.verify(sql(a))).firstBroken).toMatchObject({ partition: 'p4', seq: '4', reason: 'link-broken' });
    // when a record is deleted
    await a.query(`DELETE FROM records WHERE chain_partition = 'p4' AND chain_seq >= 3`);
    await inTx(a, (db) => ledger.append(db, 'p5', { body: 'x', at: new Date(), details: {} }));
    await a.query(`DELETE FROM records WHERE chain_partition = 'p5' AND chain_seq = 1`);
    await inTx(a, (db) => ledger.append(db, 'p6', { body: 'x', at: new Date(), details: {} }));
    await inTx(a, (db) => ledger.append(db, 'p6', { body: 'y', at: new Date(), details: {} }));
    await a.query(`DELETE FROM records WHERE chain_partition = 'p6' AND chain_seq = 1`);
    // then a missing first record is a seq gap
    expect((await ledger.verify(sql(a), { partition: 'p6' })).firstBroken).toMatchObject({ partition: 'p6', seq: '1', reason: 'seq-gap' });
  });

  it('detects a consistently rewritten chain and a deleted tail only through the anchors', async () => {
    // given a chain and its head, anchored
    for (let i = 0; i < 3; i++) await inTx(a, (db) => ledger.append(db, 'p7', { body: `r${i}`, at: new Date(), details: {} }));
    const [head] = await ledger.changedHeads(sql(a), { afterRowId: '0', uptoRowId: await ledger.maxRowId(sql(a)), afterPartition: 'p6', limit: 1 });
    expect(head).toMatchObject({ partition: 'p7', seq: '3' });
    const anchor: CheckedAnchor = { ...head, anchoredAt: new Date().toISOString(), signature: 'x' };
    // when every record is rewritten with recomputed hashes
    let prev = '0'.repeat(64);
    const rows = [];
    for await (const r of ledger.records(sql(a), { partition: 'p7' })) rows.push(r);
    for (const r of rows) {
      const fields = { ...r.fields, body: `forged ${r.seq}` };
      const hash = ledger.hashOf('p7', r.seq, prev, fields);
      await a.query(`UPDATE records SET body = $1, prev_hash = $2, hash = $3 WHERE chain_partition = 'p7' AND chain_seq = $4`, [fields.body, prev, hash, r.seq]);
      prev = hash;
    }
    // then the chain alone holds, the anchor does not
    expect((await ledger.verify(sql(a), { partition: 'p7' })).ok).toBe(true);
    expect((await ledger.verify(sql(a), { partition: 'p7', anchors: memoryAnchors([anchor]) })).firstBroken).toMatchObject({ partition: 'p7', seq: '3', reason: 'anchor-mismatch' });
    // and a deleted tail is a deleted record
    await a.query(`DELETE FROM records WHERE chain_partition = 'p7' AND chain_seq = 3`);
    expect((await ledger.verify(sql(a), { partition: 'p7', anchors: memoryAnchors([anchor]) })).firstBroken).toMatchObject({ partition: 'p7', seq: '3', reason: 'record-deleted' });
    // and an anchor whose signature does not hold is reported
    expect((await ledger.verify(sql(a), { partition: 'p7', anchors: memoryAnchors([{ ...anchor, seq: '1', hash: rows[0].hash, invalid: 'bad signature' }]) })).firstBroken).toMatchObject({ reason: 'anchor-invalid' });
  });
  it('verifies a chain across a field added later: old records hash as before, new ones bind the field', async () => {
    // given records written before the field existed
    await a.query(`CREATE TABLE later_records (id bigserial PRIMARY KEY, body text NOT NULL,
      chain_partition text COLLATE "C", chain_seq bigint, prev_hash text NOT NULL, hash text NOT NULL, UNIQUE (chain_partition, chain_seq))`);
    const before = new Ledger({ ledger: 'test.later', table: 'later_records', rowIdColumn: 'id', fields: { body: { column: 'body', type: 'text' } } });
    await inTx(a, (db) => before.append(db, 'p', { body: 'old' }));
    // when a migration adds a nullable column and the ledger declares it addedLater
    await a.query(`ALTER TABLE later_records ADD COLUMN signature text`);
    const after = new Ledger({
      ledger: 'test.later',
      table: 'later_records',
      rowIdColumn: 'id',
      fields: { body: { column: 'body', type: 'text' }, signature: { column: 'signature', type: 'text', addedLater: true } },
    });
    await inTx(a, (db) => after.append(db, 'p', { body: 'new', signature: 'sig-1' }));
    await inTx(a, (db) => after.append(db, 'p', { body: 'newer', signature: null }));
    // then the whole chain verifies
    expect(await after.verify(sql(a))).toMatchObject({ ok: true, checked: 3 });
    // and removing the new field's value from a record that had it is detected
    await a.query(`UPDATE later_records SET signature = NULL WHERE chain_seq = 2`);
    expect((await after.verify(sql(a))).firstBroken).toMatchObject({ seq: '2', reason: 'content-edited' });
    // as is setting one on an old record
    await a.query(`UPDATE later_records SET signature = 'sig-1' WHERE chain_seq = 2`);
    await a.query(`UPDATE later_records SET signature = 'forged' WHERE chain_seq = 1`);
    expect((await after.verify(sql(a))).firstBroken).toMatchObject({ seq: '1', reason: 'content-edited' });
  });
});
