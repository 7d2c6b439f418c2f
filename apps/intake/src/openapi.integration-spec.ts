import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { IntakeErrors } from './errors';
import { type TestIntake, startTestIntake } from './testing/test-app';

type Responses = Record<string, { content?: { 'application/json'?: { schema?: { properties?: { error?: { enum?: string[] } } } } } }>;

describe("intake's OpenAPI document", () => {
  let t: TestIntake;
  let paths: Record<string, Record<string, { responses: Responses }>>;

  beforeAll(async () => {
    t = await startTestIntake({ DEMO_SEED: 'false' });
    paths = SwaggerModule.createDocument(t.app, new DocumentBuilder().build()).paths as unknown as typeof paths;
  });
  afterAll(async () => {
    await t.close();
  });

  function codes(path: string, method: string): Record<string, string[]> {
    const responses = paths[path][method].responses;
    return Object.fromEntries(
      Object.entries(responses)
        .filter(([status]) => Number(status) >= 400)
        .map(([status, r]) => [status, r.content?.['application/json']?.schema?.properties?.error?.enum ?? []]),
    );
  }

  it('lists the refusals of each intake operation, by status, from the code table', () => {
    // when
    const submit = codes('/applications', 'post');
    const get = codes('/applications/{id}', 'get');
    const matter = codes('/matters/{code}', 'get');
    // then
    expect(submit['400']).toEqual(expect.arrayContaining([IntakeErrors.code.ValidationFailed, IntakeErrors.code.InvalidResidentId, IntakeErrors.code.IdempotencyKeyMissing]));
    expect(submit['403']).toEqual(expect.arrayContaining([IntakeErrors.code.NotOwnApplication, IntakeErrors.code.OutsideOrganisation]));
    expect(submit['409']).toEqual([IntakeErrors.code.IdempotencyKeyReused]);
    expect(submit['422']).toEqual([IntakeErrors.code.UnknownMatter, IntakeErrors.code.NotOfferedOnline]);
    expect(get['400']).toEqual([IntakeErrors.code.InvalidApplicationRef, IntakeErrors.code.InvalidText]);
    expect(get['404']).toEqual([IntakeErrors.code.ApplicationNotFound]);
    expect(matter).toEqual({ '400': [IntakeErrors.code.InvalidMatterCode, IntakeErrors.code.InvalidText], '404': [IntakeErrors.code.MatterNotFound] });
    // an upload names the PDF or OFD whose pages could not be counted beside the other refusals of its content
    const upload = codes('/applications/{caseNumber}/materials/{slotKey}', 'post');
    expect(upload['422']).toEqual(expect.arrayContaining([IntakeErrors.code.MaterialUnreadable, IntakeErrors.code.TooManyMaterials]));
    expect(upload['415']).toEqual(expect.arrayContaining([IntakeErrors.code.MaterialTypeRefused]));
    expect(submit['400']).toEqual(expect.arrayContaining([IntakeErrors.code.MalformedBody, IntakeErrors.code.NestingTooDeep, IntakeErrors.code.InvalidText]));
    expect(submit['413']).toEqual([IntakeErrors.code.BodyTooLarge]);
    expect(codes('/applications', 'get')['400']).toEqual(expect.arrayContaining([IntakeErrors.code.InvalidCursor]));
  });

  it('documents each code under the status the table maps it to', () => {
    for (const [path, methods] of Object.entries(paths)) {
      for (const method of Object.keys(methods)) {
        for (const [status, list] of Object.entries(codes(path, method))) {
          for (const code of list) expect([path, method, code, IntakeErrors.status(code as keyof typeof IntakeErrors.table)]).toEqual([path, method, code, Number(status)]);
        }
      }
    }
  });
});
