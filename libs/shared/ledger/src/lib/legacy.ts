import { GENESIS_HASH } from './canonical';
import type { BreakReason, LedgerVerdict, Sql } from './ledger';

/** The partition name under which breaks of a frozen pre-ledger chain are reported. */
export const LEGACY = '(legacy)';

export interface LegacyChain<R> {
  ledger: string;
  table: string;
  /** The order of the legacy chain (a bigserial: gaps are allowed, the links are what count). */
  orderColumn: string;
  /** Columns to select (must include `prev_hash` and `hash`, and `orderColumn` as `ord`). */
  select: string;
  /** The legacy hash of a row given its predecessor's hash. */
  hash: (prevHash: string, row: R) => string;
  /** What identifies a row in a report (e.g. its id). */
  report: (row: R) => string;
}

interface LegacyHeadRow {
  last_seq: string | null;
  last_hash: string | null;
}

/**
 * Verifies a chain written before the ledger (rows without a partition), in keyset pages, with its own hash, and
 * checks that it still ends at the head recorded in `ledger_legacy_heads` when it was frozen by the migration.
 */
export async function verifyLegacyChain<R extends { ord: string; prev_hash: string; hash: string }>(db: Sql, c: LegacyChain<R>, pageSize = 2000): Promise<LedgerVerdict> {
  const verdict: LedgerVerdict = { ok: true, ledger: c.ledger, checked: 0, partitions: 0, anchorsChecked: 0, firstBroken: null, acknowledged: [] };
  const fail = (seq: string, record: string | null, reason: BreakReason, detail: string): LedgerVerdict => ({ ...verdict, ok: false, firstBroken: { ledger: c.ledger, partition: LEGACY, seq, record, reason, detail } });
  const heads = (await db.query(`SELECT last_seq::text AS last_seq, last_hash FROM ledger_legacy_heads WHERE ledger = $1`, [c.ledger])) as LegacyHeadRow[];
  let prev = GENESIS_HASH;
  let after = '0';
  let last: R | null = null;
  for (;;) {
    const rows = (await db.query(`SELECT ${c.select} FROM ${c.table} WHERE chain_partition IS NULL AND ${c.orderColumn} > $1::bigint ORDER BY ${c.orderColumn} LIMIT $2`, [after, pageSize])) as R[];
    for (const r of rows) {
      if (r.prev_hash !== prev) return fail(r.ord, c.report(r), 'link-broken', "prev_hash does not match the previous record's hash");
      if (c.hash(prev, r) !== r.hash) return fail(r.ord, c.report(r), 'content-edited', 'record content does not match its hash');
      prev = r.hash;
      last = r;
      verdict.checked++;
    }
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1].ord;
  }
  if (verdict.checked > 0) verdict.partitions = 1;
  const head = heads[0];
  if (head && (head.last_seq ?? null) !== (last?.ord ?? null)) {
    return fail(last?.ord ?? '0', last ? c.report(last) : null, 'record-deleted', `the legacy chain ended at ${head.last_seq ?? 'nothing'} when it was frozen, now at ${last?.ord ?? 'nothing'}`);
  }
  if (head && last && head.last_hash !== last.hash) return fail(last.ord, c.report(last), 'content-edited', 'the last legacy record differs from the head recorded when the chain was frozen');
  return verdict;
}

/** Joins a legacy verdict and the ledger's: the legacy chain first. */
export function joinVerdicts(legacy: LedgerVerdict, chains: LedgerVerdict | null): LedgerVerdict {
  if (!legacy.ok || !chains) return legacy;
  return { ...chains, checked: chains.checked + legacy.checked, partitions: chains.partitions + legacy.partitions, acknowledged: [...legacy.acknowledged, ...chains.acknowledged] };
}
