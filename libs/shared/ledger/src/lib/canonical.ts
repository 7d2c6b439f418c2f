import { createHash } from 'node:crypto';

/**
 * The canonical form of a ledger record: what is hashed is exactly what PostgreSQL stores and gives back.
 *
 * - Text is well-formed Unicode without NUL. PostgreSQL cannot store NUL (text and jsonb) nor a lone UTF-16
 *   surrogate (the driver would turn it into U+FFFD). Values the system itself must record (e.g. the audit record of
 *   a refused hostile `client_id`) are escaped deterministically into visible text: NUL becomes the six characters
 *   `\u0000`, a lone surrogate `\ud800` its escape. The API edge refuses such input; this is the last line.
 * - Timestamps are ISO-8601 UTC with microseconds, the precision of `timestamptz` (a JS Date has milliseconds).
 * - JSON is reduced to what jsonb keeps: plain objects/arrays/strings/finite numbers/booleans/null, keys unique,
 *   nesting capped at {@link MAX_JSON_DEPTH} (deeper values become a marker string); hashed with sorted keys, so
 *   jsonb's own key order does not matter.
 */

export const GENESIS_HASH = '0'.repeat(64);
export const MAX_JSON_DEPTH = 32;
export const DEPTH_MARKER = '[nested too deeply]';

/** True when the string is well-formed UTF-16 and has no NUL: PostgreSQL stores it unchanged. */
export function isStorableText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (n >= 0xdc00 && n <= 0xdfff) i++;
      else return false;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

const hex4 = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;

/** Replaces NUL and lone surrogates by their visible escapes (`\u0000`, `\ud800`); other text is unchanged. */
export function escapeUnstorable(s: string): string {
  if (isStorableText(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) out += hex4(c);
    else if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (n >= 0xdc00 && n <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
      } else out += hex4(c);
    } else if (c >= 0xdc00 && c <= 0xdfff) out += hex4(c);
    else out += s[i];
  }
  return out;
}

/**
 * Escapes, then caps a text to `max` characters (PostgreSQL counts code points in varchar(n)); a cut value ends
 * with a marker naming the original length, so the record is kept and shows that it was shortened.
 */
export function storableText(s: string, max?: number): string {
  const text = escapeUnstorable(s);
  if (max === undefined) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  const marker = `…[${points.length} chars]`;
  if (marker.length >= max) return points.slice(0, max).join('');
  return points.slice(0, max - marker.length).join('') + marker;
}

/** The value as jsonb will keep it (see the module comment). */
export function storableJson(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return escapeUnstorable(value);
  if (typeof value === 'number') return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return null; // functions, symbols: JSON drops or nulls them
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return storableJson(withJson.toJSON(), depth);
  if (depth >= MAX_JSON_DEPTH) return DEPTH_MARKER;
  if (Array.isArray(value)) return value.map((v: unknown) => storableJson(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out[escapeUnstorable(k)] = storableJson(v, depth + 1);
  }
  return out;
}

/** `timestamptz` precision: microseconds, UTC. Accepts a Date (milliseconds) or an ISO string. */
export function microIso(t: Date | string): string {
  if (typeof t === 'string') {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/.exec(t);
    if (m) return `${m[1]}.${(m[2] ?? '').padEnd(6, '0')}Z`;
    t = new Date(t);
  }
  if (Number.isNaN(t.getTime())) throw new Error('invalid timestamp');
  return `${t.toISOString().slice(0, 23)}000Z`;
}

/** JSON with object keys sorted (by UTF-16 code units) at every level. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** The hash of one record: binds the ledger, the partition, the position and the predecessor to the content. */
export function recordHash(ledger: string, partition: string, seq: string, prevHash: string, fields: Record<string, unknown>): string {
  return sha256Hex(canonicalJson({ fields, ledger, partition, prevHash, seq }));
}
