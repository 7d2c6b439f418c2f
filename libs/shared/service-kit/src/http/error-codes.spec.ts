import { AppError } from './app-error';
import 'reflect-metadata';
import { ApiErrors, KitErrors, defineErrorCodes } from './error-codes';

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

describe('ApiErrors', () => {
  it("lists the codes of several tables that share a status together (the service's and the kit's 409)", () => {
    // given
    const errors = defineErrorCodes('approval', { StepChanged: 409, StepNotFound: 404 });
    class Controller {
      @ApiErrors(errors, 'StepChanged', 'StepNotFound')
      @ApiErrors(KitErrors, 'IdempotencyKeyReused', 'ValidationFailed')
      act(): void {
        return undefined;
      }
    }
    // when
    const responses = Reflect.getMetadata('swagger/apiResponse', Controller.prototype.act) as Record<string, { description: string; schema: { properties: { error: { enum: string[] } } } }>;
    // then
    expect(Object.keys(responses).sort()).toEqual(['400', '404', '409']);
    expect(responses['409']?.schema.properties.error.enum).toEqual(['IdempotencyKeyReused', 'StepChanged']);
    expect(responses['409']?.description).toBe('IdempotencyKeyReused, StepChanged');
    expect(responses['404']?.schema.properties.error.enum).toEqual(['StepNotFound']);
    expect(responses['400']?.schema.properties.error.enum).toEqual(['ValidationFailed']);
  });
});
