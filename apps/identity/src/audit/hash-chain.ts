import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields a record's hash covers (everything but the hashes themselves). */
export interface ChainedFields {
  seq: string;
  at: string; // ISO-8601 with milliseconds, UTC
  actor: string | null;
  actorLabel: string | null;
  action: string;
  target: string | null;
  outcome: string;
  ip: string | null;
  details: Record<string, unknown>;
}

/** JSON with object keys sorted at every level, so jsonb's own key order cannot change the hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function chainHash(prevHash: string, fields: ChainedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

export interface ChainRecord extends ChainedFields {
  prevHash: string;
  hash: string;
}

export type ChainVerdict = { ok: true; checked: number; lastHash: string } | { ok: false; checked: number; brokenAt: string; reason: string };

/**
 * Walks records in sequence order. Catches edited fields (hash mismatch), deleted or reordered records
 * (prev_hash or sequence mismatch) and a forged first record.
 */
export function verifyChain(records: Iterable<ChainRecord>, start: { prevHash: string; prevSeq: bigint } = { prevHash: GENESIS_HASH, prevSeq: 0n }): ChainVerdict {
  let prev = start.prevHash;
  let prevSeq = start.prevSeq;
  let checked = 0;
  for (const r of records) {
    const seq = BigInt(r.seq);
    if (seq !== prevSeq + 1n) return { ok: false, checked, brokenAt: r.seq, reason: `sequence gap: expected ${prevSeq + 1n}, found ${seq}` };
    if (r.prevHash !== prev) return { ok: false, checked, brokenAt: r.seq, reason: 'prev_hash does not match the previous record' };
    const { prevHash: _p, hash: _h, ...fields } = r;
    if (chainHash(r.prevHash, fields) !== r.hash) return { ok: false, checked, brokenAt: r.seq, reason: 'record content does not match its hash' };
    prev = r.hash;
    prevSeq = seq;
    checked++;
  }
  return { ok: true, checked, lastHash: prev };
}
