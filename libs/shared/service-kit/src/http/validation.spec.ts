import { Type } from 'class-transformer';
import { IsDefined, IsString, ValidateNested } from 'class-validator';
import { AppError } from './app-error';
import { KitErrors } from './error-codes';
import { kitValidationPipe } from './validation';

class Address {
  @IsString() city!: string;
}
class Applicant {
  @IsString() name!: string;
  @ValidateNested() @Type(() => Address) address!: Address;
}
class Dto {
  @IsDefined() @ValidateNested() @Type(() => Applicant) applicant!: Applicant;
  @ValidateNested({ each: true }) @Type(() => Address) others!: Address[];
}

describe('kitValidationPipe', () => {
  it('reports every failing field with its full path, rule and message in one shape', async () => {
    // given
    const pipe = kitValidationPipe();
    // when
    let error: unknown;
    try {
      await pipe.transform({ applicant: { name: 1, address: { city: 2 } }, others: [{ city: 'x' }, { city: 3 }], extra: 1 }, { type: 'body', metatype: Dto });
    } catch (e) {
      error = e;
    }
    // then
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect(e.code).toBe(KitErrors.code.ValidationFailed);
    expect(e.status).toBe(400);
    const fields = (e.details?.['fields'] as Array<{ field: string; rule: string; message: string }>).map((f) => [f.field, f.rule]);
    expect(fields).toEqual(
      expect.arrayContaining([
        ['applicant.name', 'isString'],
        ['applicant.address.city', 'isString'],
        ['others[1].city', 'isString'],
        ['extra', 'whitelistValidation'],
      ]),
    );
    expect(e.message).toContain('applicant.address.city must be a string');
  });

  it('reports a missing nested object as a missing field, not a crash', async () => {
    await expect(kitValidationPipe().transform({ others: [] }, { type: 'body', metatype: Dto })).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: { fields: expect.arrayContaining([expect.objectContaining({ field: 'applicant', rule: 'isDefined' })]) },
    });
  });
});
