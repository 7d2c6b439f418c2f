import { recordHash } from './canonical';
import { Ledger } from './ledger';

const v1 = new Ledger({ ledger: 'test.unit', table: 'records', rowIdColumn: 'id', fields: { body: { column: 'body', type: 'text' } } });
const v2 = new Ledger({
  ledger: 'test.unit',
  table: 'records',
  rowIdColumn: 'id',
  fields: { body: { column: 'body', type: 'text' }, signature: { column: 'signature', type: 'text', addedLater: true } },
});
const genesis = '0'.repeat(64);

describe('ledger fields added later', () => {
  it('hashes a record without the new field exactly as the ledger did before the field existed', () => {
    // given a record hashed by the old definition
    const old = v1.hashOf('p', '1', genesis, v1.normalise({ body: 'x' }));
    // when the new definition hashes the same record read back with the new column null
    const stored = v2.normalise({ body: 'x', signature: null });
    // then
    expect(stored.signature).toBeNull();
    expect(v2.hashOf('p', '1', genesis, stored)).toBe(old);
    expect(old).toBe(recordHash('test.unit', 'p', '1', genesis, { body: 'x' }));
  });

  it('binds the new field when it holds a value', () => {
    const without = v2.hashOf('p', '1', genesis, v2.normalise({ body: 'x', signature: undefined }));
    const withSig = v2.hashOf('p', '1', genesis, v2.normalise({ body: 'x', signature: 's' }));
    expect(withSig).not.toBe(without);
    expect(v2.hashOf('p', '1', genesis, v2.normalise({ body: 'x', signature: 't' }))).not.toBe(withSig);
  });

  it('still requires a field that is neither nullable nor added later', () => {
    expect(() => v2.normalise({ body: null, signature: 's' })).toThrow(/body is required/);
  });
});
