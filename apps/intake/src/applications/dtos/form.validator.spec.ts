import { FORM_LIMITS, formProblem } from './form.validator';
import { textProblem } from './text.validator';

describe('application form bounds', () => {
  it('accept an ordinary form with nested values', () => {
    expect(formProblem({ businessPremises: '示范市东城区兴中道1号', staff: 3, open: true, note: null, rooms: [{ area: 12.5 }], 备注: '多行\n文本' })).toBeUndefined();
  });

  it('name the field whose value holds NUL or a lone surrogate', () => {
    expect(formProblem({ premises: { address: 'a\u0000b' } })).toMatch(/^form\.premises\.address must not contain NUL/);
    expect(formProblem({ name: '张\ud800' })).toMatch(/^form\.name must be well-formed Unicode/);
    expect(formProblem({ list: ['ok', '\udc00'] })).toMatch(/^form\.list\[1\] must be well-formed/);
  });

  it('refuse field names that are not names', () => {
    for (const key of ['\u0000', 'a\u0000', '\ud800x', '', '1st', '__proto__', 'with space', 'x'.repeat(65)]) {
      // when
      const problem = formProblem({ [key]: 'v' });
      // then
      expect(problem).toMatch(/^form has a field name that is not allowed/);
    }
  });

  it('bound depth, fields, items, string length and size', () => {
    expect(formProblem({ a: { b: { c: { d: { e: 1 } } } } })).toMatch(/form\.a\.b\.c\.d is nested too deeply/);
    expect(formProblem({ a: { b: { c: { d: 1 } } } })).toBeUndefined();
    expect(formProblem(Object.fromEntries(Array.from({ length: FORM_LIMITS.maxFields + 1 }, (_, i) => [`f${i}`, i])))).toMatch(/at most 200 fields/);
    expect(formProblem({ list: Array.from({ length: FORM_LIMITS.maxItems + 1 }, () => 1) })).toMatch(/form\.list must have at most 100 items/);
    expect(formProblem({ text: 'x'.repeat(FORM_LIMITS.maxStringLength + 1) })).toMatch(/form\.text must be at most 4000 characters/);
    expect(formProblem(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, '字'.repeat(FORM_LIMITS.maxStringLength)])))).toMatch(/at most 64 KiB/);
  });

  it('refuse what is not an object of values', () => {
    for (const form of [null, undefined, 'nope', 3, [], [{}]]) expect(formProblem(form)).toBe('form must be an object of field names to values');
  });
});

describe('plain text', () => {
  it('accepts names in any script and refuses control characters, NUL and lone surrogates', () => {
    expect(textProblem('欧阳·娜娜')).toBeUndefined();
    expect(textProblem('😀 Zoë')).toBeUndefined();
    expect(textProblem('a\nb')).toMatch(/single line/);
    expect(textProblem('a\u0007b')).toMatch(/single line/);
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('\udfff')).toMatch(/well-formed/);
  });
});
