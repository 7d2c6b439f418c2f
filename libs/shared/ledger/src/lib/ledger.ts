import { GENESIS_HASH, microIso, recordHash, storableJson, storableText } from './canonical';
import type { AnchorHead, AnchorSource } from './anchors';

/** What the ledger needs from a connection: TypeORM's DataSource and EntityManager both fit. */
export interface Sql {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, params?: unknown[]): Promise<any>;
}

export type FieldType = 'text' | 'timestamptz' | 'jsonb' | 'bigint' | 'uuid';

export interface FieldSpec {
  column: string;
  type: FieldType;
  /** varchar(n): longer text is cut deterministically (see storableText). */
  maxLength?: number;
  nullable?: boolean;
  /**
   * A field added to the ledger after records were written (its column added by a later migration, nullable). It is
   * hashed only when it holds a value: a record written before the field existed (null there) hashes exactly as it
   * did, so old chains still verify; a record written with a value binds it, and nulling it later breaks the hash.
   */
  addedLater?: boolean;
}

export interface LedgerSpec<F extends string = string> {
  /** `<service>.<record>`, e.g. `approval.opinions`. */
  ledger: string;
  table: string;
  /** The hashed fields, by their name in the hash. */
  fields: Record<F, FieldSpec>;
  /** A monotonic row id (bigserial) used to find recently changed partitions; reported with a break. */
  rowIdColumn: string;
  /** A column reported with a break when it identifies the record better than the row id (e.g. an alert's uuid). */
  reportColumn?: string;
  partitionColumn?: string;
  seqColumn?: string;
  prevHashColumn?: string;
  hashColumn?: string;
  /** How to recognise a re-anchor record (the repair path) and where it carries its signed statement. */
  reanchor?: { where: string; statement: (fields: Record<F, unknown>) => unknown };
}

export type StoredFields<F extends string> = Record<F, unknown>;

export interface Appended<F extends string> {
  partition: string;
  seq: string;
  prevHash: string;
  hash: string;
  /** The fields as stored (and hashed): escaped text, microsecond ISO timestamps, jsonb-normalised JSON. */
  stored: StoredFields<F>;
  rowId: string;
}

export type BreakReason = 'content-edited' | 'link-broken' | 'seq-gap' | 'record-deleted' | 'anchor-mismatch' | 'anchor-invalid';

export interface ChainBreak {
  ledger: string;
  partition: string;
  seq: string;
  /** The row id (or the report column) of the broken record, when it still exists. */
  record: string | null;
  reason: BreakReason;
  detail: string;
}

export interface AcknowledgedBreak extends ChainBreak {
  /** The seq of the re-anchor record that acknowledges this break; the chain is verified again from there. */
  reanchoredAt: string;
}

export interface LedgerVerdict {
  ok: boolean;
  ledger: string;
  /** Records whose content and link were checked. */
  checked: number;
  partitions: number;
  /** Signed heads checked against the stored chain (0 when no anchor source was given). */
  anchorsChecked: number;
  firstBroken: ChainBreak | null;
  acknowledged: AcknowledgedBreak[];
  /** Set when the published heads could not be read: the chains were checked, the anchors were not. */
  anchorsUnavailable?: string;
}

/** A signed "chain re-anchored at N" statement: the chain as stored up to seq N-1 is taken as it is. */
export interface ReanchorStatement {
  ledger: string;
  partition: string;
  /** The last record before the re-anchor record, and its stored hash. */
  seq: string;
  hash: string;
  brokenAt: string;
  reason: string;
}

export interface ReanchorCheck {
  /** Verifies the re-anchor record's signature; returns the signed statement or throws. */
  verify(signature: unknown): Promise<ReanchorStatement>;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
const PAGE = 2000;

interface Row {
  p: string;
  s: string;
  prev: string;
  h: string;
  rid: string;
  [field: string]: unknown;
}

/**
 * One append-only, hash-chained record type: a chain per partition (per case, per service, ...), each record with
 * partition, seq (gap-free within the partition), prev_hash and hash. Appends to different partitions never wait on
 * each other (a transaction advisory lock keyed by ledger and partition). The table's append-only triggers come from
 * `appendOnlySql`; the chain is what detects what the triggers cannot stop.
 */
export class Ledger<F extends string> {
  readonly ledger: string;
  private readonly pc: string;
  private readonly sc: string;
  private readonly prevc: string;
  private readonly hc: string;
  private readonly names: F[];

  constructor(readonly spec: LedgerSpec<F>) {
    this.ledger = spec.ledger;
    this.pc = spec.partitionColumn ?? 'chain_partition';
    this.sc = spec.seqColumn ?? 'chain_seq';
    this.prevc = spec.prevHashColumn ?? 'prev_hash';
    this.hc = spec.hashColumn ?? 'hash';
    this.names = Object.keys(spec.fields) as F[];
    for (const c of [spec.table, spec.rowIdColumn, this.pc, this.sc, this.prevc, this.hc, spec.reportColumn ?? 'x', ...this.names.map((n) => spec.fields[n].column)]) {
      if (!IDENT.test(c)) throw new Error(`ledger ${spec.ledger}: invalid identifier ${c}`);
    }
  }

  /** The fields as they will be stored and hashed. */
  normalise(fields: Record<F, unknown>): StoredFields<F> {
    const out = {} as StoredFields<F>;
    for (const name of this.names) {
      const f = this.spec.fields[name];
      const v = fields[name];
      if (v === null || v === undefined) {
        if (f.type === 'jsonb' && !f.addedLater) out[name] = storableJson(v);
        else if (f.nullable || f.addedLater) out[name] = null;
        else throw new Error(`ledger ${this.ledger}: ${name} is required`);
        continue;
      }
      switch (f.type) {
        case 'text':
          out[name] = storableText(String(v), f.maxLength);
          break;
        case 'uuid':
          out[name] = String(v).toLowerCase();
          break;
        case 'bigint':
          out[name] = BigInt(v as string | number | bigint).toString();
          break;
        case 'timestamptz':
          out[name] = microIso(v as Date | string);
          break;
        case 'jsonb':
          out[name] = storableJson(v);
          break;
      }
    }
    return out;
  }

  hashOf(partition: string, seq: string, prevHash: string, stored: StoredFields<F>): string {
    return recordHash(this.ledger, partition, seq, prevHash, this.hashedFields(stored));
  }

  /** The fields that enter the hash: every field, except an `addedLater` one that holds no value. */
  private hashedFields(stored: StoredFields<F>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of this.names) {
      if (this.spec.fields[name].addedLater && (stored[name] === null || stored[name] === undefined)) continue;
      out[name] = stored[name];
    }
    return out;
  }

  /** Takes the partition's append lock for the rest of the caller's transaction (e.g. to check-then-append). */
  async lock(manager: Sql, partition: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [this.ledger, storableText(partition, 200)]);
  }

  /**
   * Appends one record to a partition's chain. Must run inside the caller's transaction (`manager` of
   * `ds.transaction(...)`): the lock and the insert commit or roll back with the state change.
   */
  async append(manager: Sql, partition: string, fields: Record<F, unknown>, extra: Record<string, unknown> = {}): Promise<Appended<F>> {
    const runner = (manager as { queryRunner?: { isTransactionActive?: boolean } }).queryRunner;
    if (runner && runner.isTransactionActive === false) throw new Error(`ledger ${this.ledger}: append must run inside a transaction`);
    const p = storableText(partition, 200);
    const stored = this.normalise(fields);
    await this.lock(manager, p);
    const head = (await manager.query(
      `SELECT ${this.sc}::text AS s, ${this.hc} AS h FROM ${this.spec.table} WHERE ${this.pc} = $1 ORDER BY ${this.sc} DESC LIMIT 1`,
      [p],
    )) as Array<{ s: string; h: string }>;
    const seq = String(BigInt(head[0]?.s ?? '0') + 1n);
    const prevHash = head[0]?.h ?? GENESIS_HASH;
    const hash = this.hashOf(p, seq, prevHash, stored);
    const cols: string[] = [];
    const vals: string[] = [];
    const params: unknown[] = [];
    const add = (col: string, value: unknown, cast = '') => {
      if (!IDENT.test(col)) throw new Error(`ledger ${this.ledger}: invalid identifier ${col}`);
      params.push(value);
      cols.push(col);
      vals.push(`$${params.length}${cast}`);
    };
    for (const name of this.names) {
      const f = this.spec.fields[name];
      const v = stored[name];
      add(f.column, f.type === 'jsonb' ? JSON.stringify(v) : v, `::${f.type}`);
    }
    for (const [col, v] of Object.entries(extra)) add(col, v);
    add(this.pc, p);
    add(this.sc, seq, '::bigint');
    add(this.prevc, prevHash);
    add(this.hc, hash);
    const rows = (await manager.query(`INSERT INTO ${this.spec.table} (${cols.join(', ')}) VALUES (${vals.join(', ')}) RETURNING ${this.spec.rowIdColumn}::text AS rid`, params)) as Array<{ rid: string }>;
    return { partition: p, seq, prevHash, hash, stored, rowId: rows[0].rid };
  }

  private selectList(): string {
    const fieldCols = this.names.map((n) => {
      const f = this.spec.fields[n];
      const c = f.column;
      const expr =
        f.type === 'timestamptz'
          ? `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
          : f.type === 'bigint' || f.type === 'uuid'
            ? `${c}::text`
            : c;
      return `${expr} AS "f_${n}"`;
    });
    const report = this.spec.reportColumn ? `${this.spec.reportColumn}::text` : `${this.spec.rowIdColumn}::text`;
    return [`${this.pc} AS p`, `${this.sc}::text AS s`, `${this.prevc} AS prev`, `${this.hc} AS h`, `${report} AS rid`, ...fieldCols].join(', ');
  }

  private fieldsOf(r: Row): StoredFields<F> {
    const out = {} as StoredFields<F>;
    for (const n of this.names) {
      const v = r[`f_${n}`];
      out[n] = this.spec.fields[n].type === 'jsonb' ? storableJson(v) : (v ?? null);
    }
    return out;
  }

  /** Streams the records of every partition (or one), ordered by partition (C collation) and seq: keyset pages. */
  async *records(db: Sql, opts: { partition?: string; pageSize?: number; after?: { partition: string; seq: string } } = {}): AsyncGenerator<{ partition: string; seq: string; prevHash: string; hash: string; record: string; fields: StoredFields<F> }> {
    const size = opts.pageSize ?? PAGE;
    let after = opts.after ?? { partition: '', seq: '0' };
    for (;;) {
      const one = opts.partition !== undefined;
      const where = one ? `${this.pc} = $1 AND ${this.sc} > $2::bigint` : `(${this.pc} COLLATE "C", ${this.sc}) > ($1::text COLLATE "C", $2::bigint)`;
      const rows = (await db.query(
        `SELECT ${this.selectList()} FROM ${this.spec.table} WHERE ${this.pc} IS NOT NULL AND ${where} ORDER BY ${this.pc} COLLATE "C", ${this.sc} LIMIT $3`,
        [one ? opts.partition : after.partition, after.seq, size],
      )) as Row[];
      for (const r of rows) yield { partition: r.p, seq: r.s, prevHash: r.prev, hash: r.h, record: r.rid, fields: this.fieldsOf(r) };
      if (rows.length < size) return;
      const last = rows[rows.length - 1];
      after = { partition: last.p, seq: last.s };
    }
  }

  private async firstReanchorAfter(db: Sql, partition: string, seq: string): Promise<string | null> {
    if (!this.spec.reanchor) return null;
    const rows = (await db.query(
      `SELECT min(${this.sc})::text AS s FROM ${this.spec.table} WHERE ${this.pc} = $1 AND ${this.sc} > $2::bigint AND (${this.spec.reanchor.where})`,
      [partition, seq],
    )) as Array<{ s: string | null }>;
    return rows[0]?.s ?? null;
  }

  /**
   * Verifies every partition's chain in keyset pages (memory stays bounded), then, with an anchor source, every
   * published signed head against the stored record at that position. Stops at the first break that no re-anchor
   * record acknowledges.
   */
  async verify(db: Sql, opts: { anchors?: AnchorSource; reanchors?: ReanchorCheck; partition?: string; pageSize?: number } = {}): Promise<LedgerVerdict> {
    const verdict: LedgerVerdict = { ok: true, ledger: this.ledger, checked: 0, partitions: 0, anchorsChecked: 0, firstBroken: null, acknowledged: [] };
    let cur: string | null = null;
    let expected = 1n;
    let prev = GENESIS_HASH;
    // While inside an acknowledged break: the seq of the re-anchor record we skip to.
    let skipTo: bigint | null = null;
    const fail = (b: Omit<ChainBreak, 'ledger'>): LedgerVerdict => ({ ...verdict, ok: false, firstBroken: { ledger: this.ledger, ...b } });
    for await (const r of this.records(db, { partition: opts.partition, pageSize: opts.pageSize })) {
      if (r.partition !== cur) {
        cur = r.partition;
        expected = 1n;
        prev = GENESIS_HASH;
        skipTo = null;
        verdict.partitions++;
      }
      const seq = BigInt(r.seq);
      if (skipTo !== null && seq < skipTo) {
        prev = r.hash;
        expected = seq + 1n;
        continue;
      }
      let problem: Omit<ChainBreak, 'ledger'> | null = null;
      if (seq !== expected) {
        problem = { partition: r.partition, seq: String(expected), record: r.record, reason: expected === 1n || seq > expected ? 'seq-gap' : 'link-broken', detail: `expected seq ${expected}, found ${seq} (records deleted or reordered)` };
      } else if (r.prevHash !== prev) {
        problem = { partition: r.partition, seq: r.seq, record: r.record, reason: 'link-broken', detail: "prev_hash does not match the previous record's hash" };
      } else if (this.hashOf(r.partition, r.seq, r.prevHash, r.fields) !== r.hash) {
        problem = { partition: r.partition, seq: r.seq, record: r.record, reason: 'content-edited', detail: 'record content does not match its hash' };
      }
      if (skipTo !== null && seq === skipTo) {
        // The re-anchor record itself: its signed statement must name the stored predecessor.
        skipTo = null;
        if (!problem && opts.reanchors && this.spec.reanchor) {
          try {
            const st = await opts.reanchors.verify(this.spec.reanchor.statement(r.fields));
            if (st.ledger !== this.ledger || st.partition !== r.partition || st.seq !== String(seq - 1n) || st.hash !== r.prevHash) throw new Error('statement does not name this record');
          } catch (e) {
            problem = { partition: r.partition, seq: r.seq, record: r.record, reason: 'anchor-invalid', detail: `re-anchor record not validly signed: ${e instanceof Error ? e.message : String(e)}` };
          }
        }
      }
      if (problem) {
        // A re-anchor record after the broken one acknowledges the break; the chain is verified again from it.
        const reanchoredAt = problem.reason === 'anchor-invalid' ? null : await this.firstReanchorAfter(db, r.partition, r.seq);
        if (!reanchoredAt) return fail(problem);
        verdict.acknowledged.push({ ledger: this.ledger, ...problem, reanchoredAt });
        skipTo = BigInt(reanchoredAt);
        prev = r.hash;
        expected = seq + 1n;
        continue;
      }
      prev = r.hash;
      expected = seq + 1n;
      verdict.checked++;
    }
    if (opts.anchors) return this.verifyAnchors(db, opts.anchors, verdict, opts.partition);
    return verdict;
  }

  private async verifyAnchors(db: Sql, source: AnchorSource, verdict: LedgerVerdict, partition?: string): Promise<LedgerVerdict> {
    try {
      return await this.checkAnchors(db, source, verdict, partition);
    } catch (e) {
      return { ...verdict, anchorsUnavailable: e instanceof Error ? e.message : String(e) };
    }
  }

  private async checkAnchors(db: Sql, source: AnchorSource, verdict: LedgerVerdict, partition?: string): Promise<LedgerVerdict> {
    for await (const page of source.latest(this.ledger, partition)) {
      if (page.length === 0) continue;
      const rows = (await db.query(
        `SELECT a.p, a.s::text AS s, t.${this.hc} AS h FROM unnest($1::text[], $2::bigint[]) AS a(p, s)
           LEFT JOIN ${this.spec.table} t ON t.${this.pc} = a.p AND t.${this.sc} = a.s`,
        [page.map((a) => a.partition), page.map((a) => a.seq)],
      )) as Array<{ p: string; s: string; h: string | null }>;
      const stored = new Map(rows.map((r) => [`${r.p}\u0001${r.s}`, r.h]));
      for (const a of page) {
        verdict.anchorsChecked++;
        const h = stored.get(`${a.partition}\u0001${a.seq}`) ?? null;
        if (a.invalid) return { ...verdict, ok: false, firstBroken: { ledger: this.ledger, partition: a.partition, seq: a.seq, record: null, reason: 'anchor-invalid', detail: `a published head does not carry a valid signature: ${a.invalid}` } };
        const acknowledged = verdict.acknowledged.some((k) => k.partition === a.partition && BigInt(k.reanchoredAt) > BigInt(a.seq));
        if (acknowledged) continue;
        if (h === null) return { ...verdict, ok: false, firstBroken: { ledger: this.ledger, partition: a.partition, seq: a.seq, record: null, reason: 'record-deleted', detail: `the record anchored at seq ${a.seq} (${a.anchoredAt}) is missing` } };
        if (h !== a.hash) return { ...verdict, ok: false, firstBroken: { ledger: this.ledger, partition: a.partition, seq: a.seq, record: null, reason: 'anchor-mismatch', detail: `the stored hash differs from the head signed at ${a.anchoredAt}: the chain was rewritten` } };
      }
    }
    return verdict;
  }

  /** The highest row id so far ('0' when empty). */
  async maxRowId(db: Sql): Promise<string> {
    const rows = (await db.query(`SELECT coalesce(max(${this.spec.rowIdColumn}), 0)::text AS m FROM ${this.spec.table}`)) as Array<{ m: string }>;
    return rows[0].m;
  }

  /**
   * Heads of the partitions with a record whose row id is in (afterRowId, uptoRowId], a page of them ordered by
   * partition after `afterPartition`.
   */
  async changedHeads(db: Sql, range: { afterRowId: string; uptoRowId: string; afterPartition?: string; limit?: number }): Promise<AnchorHead[]> {
    const rows = (await db.query(
      `SELECT c.p, h.s, h.h FROM (
           SELECT DISTINCT ${this.pc} COLLATE "C" AS p FROM ${this.spec.table}
            WHERE ${this.spec.rowIdColumn} > $1::bigint AND ${this.spec.rowIdColumn} <= $2::bigint AND ${this.pc} IS NOT NULL AND ${this.pc} COLLATE "C" > $3
            ORDER BY 1 LIMIT $4) c
         CROSS JOIN LATERAL (SELECT ${this.sc}::text AS s, ${this.hc} AS h FROM ${this.spec.table} WHERE ${this.pc} = c.p ORDER BY ${this.sc} DESC LIMIT 1) h
        ORDER BY c.p`,
      [range.afterRowId, range.uptoRowId, range.afterPartition ?? '', range.limit ?? 500],
    )) as Array<{ p: string; s: string; h: string }>;
    return rows.map((r) => ({ ledger: this.ledger, partition: r.p, seq: r.s, hash: r.h }));
  }
}
