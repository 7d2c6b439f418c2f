import { findIllFormedText, textFindingMessage, textProblem } from './text';

describe('textProblem', () => {
  it('accepts well-formed text, including characters outside the BMP', () => {
    expect(textProblem('张三 😀 \u00e9')).toBeUndefined();
    expect(textProblem('')).toBeUndefined();
  });

  it('names NUL and lone surrogates (high without low, low without high)', () => {
    expect(textProblem('a\u0000')).toBe('nul');
    expect(textProblem('张\ud800')).toBe('surrogate');
    expect(textProblem('\udc00x')).toBe('surrogate');
    expect(textProblem('\ud800\ud800\udc00')).toBe('surrogate');
  });
});

describe('findIllFormedText', () => {
  it('names the path of a bad value in nested objects and arrays', () => {
    expect(findIllFormedText({ applicant: { name: 'a\u0000' } })?.field).toBe('applicant.name');
    expect(findIllFormedText({ items: [{ code: 'ok' }, { code: '\ud800' }] })?.field).toBe('items[1].code');
    expect(findIllFormedText(['ok', 'x\u0000'])?.field).toBe('[1]');
    expect(findIllFormedText('\u0000')?.field).toBe('body');
  });

  it('names a bad object key, escaped so the path itself is well-formed', () => {
    // when
    const f = findIllFormedText({ form: { 'k\u0000ey': 'v' } });
    // then
    expect(f).toEqual({ field: 'form.k\\u0000ey', problem: 'nul', inKey: true });
    expect(textFindingMessage(f!)).toContain('field name at form.k\\u0000ey');
  });

  it('prefixes the root for params and queries', () => {
    expect(findIllFormedText({ caseNumber: '\u0000' }, 'query')?.field).toBe('query.caseNumber');
    expect(findIllFormedText({ id: ['a', '\ud800'] }, 'param')?.field).toBe('param.id[1]');
  });

  it('walks any depth without recursion', () => {
    // given 100,000 nested arrays with a NUL at the bottom
    let v: unknown = 'bottom\u0000';
    for (let i = 0; i < 100_000; i++) v = [v];
    // when / then
    expect(findIllFormedText(v)?.problem).toBe('nul');
  });

  it('finds nothing in clean data and ignores numbers, booleans and null', () => {
    expect(findIllFormedText({ a: 1, b: true, c: null, d: ['x', { e: '张' }] })).toBeUndefined();
  });
});
