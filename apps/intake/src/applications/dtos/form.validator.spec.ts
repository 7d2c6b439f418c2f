import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { FORM_LIMITS, formProblem } from './form.validator';
import { SubmitApplicationDto } from './submit-application.dto';
import { textProblem } from './text.validator';

describe('application form bounds', () => {
  it('accept an ordinary form with nested values', () => {
    expect(formProblem({ businessPremises: '示范市东城区兴中道1号', staff: 3, open: true, note: null, rooms: [{ area: 12.5 }], 备注: '多行\n文本' })).toBeUndefined();
  });

  it('name the field whose value or key holds NUL or a lone surrogate', () => {
    expect(formProblem({ premises: { 'a\u0000': 1 } })?.field).toBe('form.premises.a\\u0000');
    expect(formProblem({ list: ['ok', '\udc00'] })?.field).toBe('form.list[1]');
    expect(formProblem({ premises: { address: 'a\u0000b' } })?.message).toMatch(/^form\.premises\.address must not contain NUL/);
    expect(formProblem({ name: '张\ud800' })?.message).toMatch(/^form\.name must be well-formed Unicode/);
    expect(formProblem({ list: ['ok', '\udc00'] })?.message).toMatch(/^form\.list\[1\] must be well-formed/);
  });

  it('refuse field names that are not names', () => {
    for (const key of ['\u0000', 'a\u0000', '\ud800x', '', '1st', '_private', 'with space', 'x'.repeat(65)]) {
      // when
      const problem = formProblem({ [key]: 'v' });
      // then
      expect(problem?.message).toMatch(/^form has a field name that is not allowed/);
    }
  });

  it('refuse field names of Object.prototype members, which the DTO transform would drop or crash on', () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'prototype']) {
      expect(formProblem({ [key]: 1 })?.message).toMatch(/^form has a reserved field name/);
      expect(formProblem({ nested: [{ [key]: 1 }] })?.message).toMatch(/^form\.nested\[0\] has a reserved field name/);
    }
  });

  it('pass every accepted form through the DTO transform unchanged', () => {
    // given a form within the bounds, with every kind of value
    const form = { 名称: '示范', n: 0, f: -1.5, yes: false, none: null, list: [1, 'two', null, { deep: ['x'] }], obj: { a: { b: 'c' } }, empty: {}, blank: '' };
    expect(formProblem(form)).toBeUndefined();
    // when the validation pipe turns the body into a DTO
    const dto = plainToInstance(SubmitApplicationDto, JSON.parse(JSON.stringify({ form })) as object);
    // then
    expect(JSON.stringify(dto.form)).toBe(JSON.stringify(form));
  });

  it('bound depth, fields, items, string length and size', () => {
    expect(formProblem({ a: { b: { c: { d: { e: 1 } } } } })?.message).toMatch(/form\.a\.b\.c\.d is nested too deeply/);
    expect(formProblem({ a: { b: { c: { d: 1 } } } })).toBeUndefined();
    expect(formProblem(Object.fromEntries(Array.from({ length: FORM_LIMITS.maxFields + 1 }, (_, i) => [`f${i}`, i])))?.message).toMatch(/at most 200 fields/);
    expect(formProblem({ list: Array.from({ length: FORM_LIMITS.maxItems + 1 }, () => 1) })?.message).toMatch(/form\.list must have at most 100 items/);
    expect(formProblem({ text: 'x'.repeat(FORM_LIMITS.maxStringLength + 1) })?.message).toMatch(/form\.text must be at most 4000 characters/);
    expect(formProblem(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, '字'.repeat(FORM_LIMITS.maxStringLength)])))?.message).toMatch(/at most 64 KiB/);
  });

  it('refuse what is not an object of values', () => {
    for (const form of [null, undefined, 'nope', 3, [], [{}]]) expect(formProblem(form)).toEqual({ field: 'form', message: 'form must be an object of field names to values' });
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
