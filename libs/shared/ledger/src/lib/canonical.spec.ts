import { DEPTH_MARKER, MAX_JSON_DEPTH, canonicalJson, escapeUnstorable, isStorableText, microIso, recordHash, storableJson, storableText } from './canonical';
import { Ledger } from './ledger';

describe('canonical form', () => {
  it('escapes NUL and lone surrogates into visible text and keeps well-formed text unchanged', () => {
    expect(escapeUnstorable('ab\ud800cd')).toBe('ab\\ud800cd');
    expect(escapeUnstorable('张\ud800')).toBe('张\\ud800');
    expect(escapeUnstorable('\udc00x')).toBe('\\udc00x');
    expect(escapeUnstorable('a\u0000b')).toBe('a\\u0000b');
    expect(escapeUnstorable('emoji 👍🏽 \u202E')).toBe('emoji 👍🏽 \u202E');
    expect(isStorableText('ab\ud800cd')).toBe(false);
    expect(isStorableText('👍')).toBe(true);
  });

  it('cuts over-long text by code points, with a marker, never splitting a surrogate pair', () => {
    // given
    const long = '👍'.repeat(300);
    // when
    const cut = storableText(long, 128);
    // then
    expect(Array.from(cut)).toHaveLength(128);
    expect(cut).toMatch(/…\[300 chars\]$/);
    expect(isStorableText(cut)).toBe(true);
    expect(storableText('short', 128)).toBe('short');
  });

  it('reduces JSON to what jsonb keeps: finite numbers, no undefined, escaped keys, capped depth', () => {
    // given
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    // when
    const v = storableJson({ n: Number.NaN, z: -0, u: undefined, ['k\u0000']: 'v\ud800', d: new Date('2026-01-01T00:00:00Z'), deep, big: 10n }) as Record<string, unknown>;
    // then
    expect(v).toMatchObject({ n: null, z: 0, 'k\\u0000': 'v\\ud800', d: '2026-01-01T00:00:00.000Z', big: '10' });
    expect(v).not.toHaveProperty('u');
    expect(JSON.stringify(v.deep)).toContain(DEPTH_MARKER);
    // MAX_JSON_DEPTH - 1 arrays kept below the top level, plus the marker's own bracket
    expect(JSON.stringify(v.deep).split('[').length - 1).toBe(MAX_JSON_DEPTH);
  });

  it('writes timestamps at the precision PostgreSQL stores (microseconds)', () => {
    expect(microIso(new Date('2026-12-01T08:00:00.123Z'))).toBe('2026-12-01T08:00:00.123000Z');
    expect(microIso('2026-12-01T08:00:00.123456Z')).toBe('2026-12-01T08:00:00.123456Z');
    expect(microIso('2026-12-01T08:00:00Z')).toBe('2026-12-01T08:00:00.000000Z');
  });

  it('hashes independently of key order, and binds ledger, partition, position and predecessor', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe('{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}');
    const h = recordHash('a.b', 'p', '1', '0'.repeat(64), { x: 1 });
    expect(recordHash('a.b', 'p', '1', '0'.repeat(64), { x: 1 })).toBe(h);
    expect(recordHash('a.c', 'p', '1', '0'.repeat(64), { x: 1 })).not.toBe(h);
    expect(recordHash('a.b', 'q', '1', '0'.repeat(64), { x: 1 })).not.toBe(h);
    expect(recordHash('a.b', 'p', '2', '0'.repeat(64), { x: 1 })).not.toBe(h);
    expect(recordHash('a.b', 'p', '1', 'f'.repeat(64), { x: 1 })).not.toBe(h);
  });
});

describe('ledger spec', () => {
  it('refuses identifiers that are not plain SQL names', () => {
    expect(() => new Ledger({ ledger: 'a.b', table: 'x; drop', rowIdColumn: 'id', fields: {} })).toThrow(/invalid identifier/);
  });

  it('normalises fields by type and requires the non-nullable ones', () => {
    const l = new Ledger({ ledger: 'a.b', table: 't', rowIdColumn: 'id', fields: { s: { column: 's', type: 'text', maxLength: 4 }, at: { column: 'at', type: 'timestamptz' }, j: { column: 'j', type: 'jsonb' }, u: { column: 'u', type: 'uuid' }, n: { column: 'n', type: 'text', nullable: true } } });
    expect(l.normalise({ s: 'a\u0000', at: new Date(0), j: undefined, u: 'ABC', n: null })).toEqual({ s: 'a\\u0', at: '1970-01-01T00:00:00.000000Z', j: null, u: 'abc', n: null });
    expect(() => l.normalise({ s: null, at: new Date(0), j: {}, u: 'x', n: null })).toThrow(/s is required/);
  });
});
