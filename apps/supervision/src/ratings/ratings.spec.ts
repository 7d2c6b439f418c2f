import { AppError } from '@gov/service-kit';
import { newTrackingCode, TRACKING_CODE } from '../complaints/complaint-flow';
import { textProblem } from '../complaints/dtos/text.validator';
import { checkGrades } from './ratings.service';

describe('rating grades', () => {
  it('takes a grade 1-5 for every indicator of the set and nothing else', () => {
    const all = { overall: 1, efficiency: 2, guideAccuracy: 3, convenience: 4, usability: 5 };
    expect(checkGrades('gov-2019-v1', all)).toEqual(all);
    const fieldOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof AppError ? e.details?.['field'] : undefined;
      }
      return 'no error';
    };
    expect(fieldOf(() => checkGrades('gov-2019-v1', { ...all, overall: 0 }))).toBe('grades.overall');
    expect(fieldOf(() => checkGrades('gov-2019-v1', { ...all, overall: 2.5 }))).toBe('grades.overall');
    expect(fieldOf(() => checkGrades('gov-2019-v1', { ...all, extra: 3 }))).toBe('grades.extra');
    expect(fieldOf(() => checkGrades('v0', all))).toBe('indicatorSet');
  });
});

describe('complaint tracking codes and text', () => {
  it('makes readable codes without 0/O/1/I/L', () => {
    for (let i = 0; i < 50; i++) expect(newTrackingCode((n) => Buffer.from(Array.from({ length: n }, () => Math.floor(Math.random() * 256))))).toMatch(TRACKING_CODE);
  });

  it('refuses control characters and lone surrogates, and line breaks in single-line text', () => {
    expect(textProblem('投诉内容\n第二行', true)).toBeUndefined();
    expect(textProblem('投诉\u0000', true)).toMatch(/control/);
    expect(textProblem('name\n', false)).toMatch(/single line/);
    expect(textProblem('\uD800x', true)).toMatch(/surrogate/);
  });
});
