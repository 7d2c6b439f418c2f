import { type ChainRecord, GENESIS_HASH, canonicalJson, chainHash, verifyChain } from './hash-chain';

function chain(n: number): ChainRecord[] {
  const out: ChainRecord[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields = { seq: String(i), at: new Date(1_700_000_000_000 + i).toISOString(), actor: `u${i}`, actorLabel: null, action: 'auth.login', target: null, outcome: 'success', ip: '127.0.0.1', details: { b: 1, a: [i] } };
    const hash = chainHash(prev, fields);
    out.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  it('verifies an untouched chain', () => {
    expect(verifyChain(chain(5))).toEqual({ ok: true, checked: 5, lastHash: chain(5)[4].hash });
  });

  it('detects an edited field', () => {
    // given
    const records = chain(5);
    records[2] = { ...records[2], outcome: 'failure' };
    // when
    const verdict = verifyChain(records);
    // then
    expect(verdict).toMatchObject({ ok: false, brokenAt: '3', checked: 2 });
  });

  it('detects a deleted record', () => {
    const records = chain(5);
    records.splice(1, 1);
    expect(verifyChain(records)).toMatchObject({ ok: false, brokenAt: '3' });
  });

  it('detects a record rewritten with a recomputed hash, at the next record', () => {
    // given an attacker who edits record 2 and recomputes its own hash
    const records = chain(4);
    const edited = { ...records[1], actor: 'someone-else' };
    const { prevHash: _p, hash: _h, ...fields } = edited;
    records[1] = { ...edited, hash: chainHash(edited.prevHash, fields) };
    // when / then: record 3 no longer links to it
    expect(verifyChain(records)).toMatchObject({ ok: false, brokenAt: '3' });
  });

  it('hashes independently of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe('{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}');
  });
});
