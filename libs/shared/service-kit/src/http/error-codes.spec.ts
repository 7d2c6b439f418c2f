import { AppError } from './app-error';
import { KitErrors, defineErrorCodes } from './error-codes';

describe('defineErrorCodes', () => {
  it('takes the status of a thrown code from the table, not from the throw site', () => {
    // given
    const errors = defineErrorCodes('approval', { StepNotFound: 404, StepChanged: 409 });
    // when
    const e = errors.error('StepChanged', 'Reload the worklist.', { taskId: 't1' });
    // then
    expect(e).toBeInstanceOf(AppError);
    expect(e.status).toBe(409);
    expect(e.code).toBe(errors.code.StepChanged);
    expect(e.details).toEqual({ taskId: 't1' });
    expect(errors.status('StepNotFound')).toBe(404);
  });

  it('refuses a table that maps a code to a status that is not an error', () => {
    expect(() => defineErrorCodes('x', { Fine: 200 })).toThrow(/not an HTTP error status/);
    expect(() => defineErrorCodes('x', { 'not-pascal': 400 })).toThrow(/PascalCase/);
  });

  it('names the kit codes the request edge answers with', () => {
    expect(KitErrors.status('BodyTooLarge')).toBe(413);
    expect(KitErrors.status('IdempotencyKeyReused')).toBe(409);
  });
});
