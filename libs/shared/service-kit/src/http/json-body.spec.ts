import { AppError } from './app-error';
import { KitErrors } from './error-codes';
import { exceedsDepth, isJsonMediaType, mediaTypeOf, parseJsonBody } from './json-body';

function errorOf(text: string | Buffer, maxDepth = 32): AppError {
  const r = parseJsonBody(Buffer.isBuffer(text) ? text : Buffer.from(text), maxDepth);
  if (r.ok) throw new Error('expected a refusal');
  return r.error as AppError;
}

describe('exceedsDepth', () => {
  it('counts objects and arrays, not brackets inside strings or after escapes', () => {
    expect(exceedsDepth('[[[]]]', 3)).toBeUndefined();
    expect(exceedsDepth('[[[[]]]]', 3)).toBe(4);
    expect(exceedsDepth('{"a":"[[[[[[[["}', 1)).toBeUndefined();
    expect(exceedsDepth('{"a":"\\"[[[["}', 1)).toBeUndefined();
    expect(exceedsDepth('{"a":{"b":[1]}}', 2)).toBe(3);
  });

  it('scans 40,000 levels without recursion', () => {
    expect(exceedsDepth('['.repeat(40_000) + ']'.repeat(40_000), 32)).toBe(33);
  });
});

describe('parseJsonBody', () => {
  it('parses a JSON object or array; an empty body is an empty object', () => {
    expect(parseJsonBody(Buffer.from('{"a":[1,"张"]}'), 32)).toEqual({ ok: true, value: { a: [1, '张'] } });
    expect(parseJsonBody(Buffer.from(' '), 32)).toEqual({ ok: true, value: {} });
  });

  it('refuses nesting beyond the limit before parsing, naming the limit', () => {
    const e = errorOf(`{"a":${'['.repeat(40_000)}${']'.repeat(40_000)}}`);
    expect(e.code).toBe(KitErrors.code.NestingTooDeep);
    expect(e.status).toBe(400);
    expect(e.message).toContain('32');
  });

  it('refuses text that is not JSON, not UTF-8, or not an object or array', () => {
    expect(errorOf('{"a":').code).toBe(KitErrors.code.MalformedBody);
    expect(errorOf('42').code).toBe(KitErrors.code.MalformedBody);
    expect(errorOf(Buffer.from([0x7b, 0xc3, 0x28, 0x7d])).code).toBe(KitErrors.code.MalformedBody);
  });

  it('refuses NUL and lone surrogates sent as escapes, naming the field', () => {
    const e = errorOf('{"applicant":{"name":"\\u5f20\\ud800"}}');
    expect(e.code).toBe(KitErrors.code.InvalidText);
    expect(e.details).toMatchObject({ field: 'applicant.name', fields: [{ field: 'applicant.name', rule: 'wellFormedUnicode' }] });
    expect(errorOf('{"form":{"\\u0000":1}}').details).toMatchObject({ field: 'form.\\u0000', fields: [{ rule: 'noNul' }] });
  });

  it('refuses a key named like an Object.prototype member or prototype anywhere, naming where', () => {
    // given bodies the layers after the edge would change silently (the pipe deletes __proto__ and constructor)
    const cases: Array<[string, string]> = [
      ['{"__proto__":{"roles":["sysadmin"]}}', '__proto__'],
      ['{"form":{"premises":{"constructor":"x"}}}', 'form.premises.constructor'],
      ['{"items":[{"problem":"p"},{"prototype":{}}]}', 'items[1].prototype'],
      ['[{"toString":"x"}]', '[0].toString'],
      ['{"a":{"hasOwnProperty":1}}', 'a.hasOwnProperty'],
    ];
    for (const [text, field] of cases) {
      // when
      const e = errorOf(text);
      // then
      expect(e.status).toBe(400);
      expect(e.code).toBe(KitErrors.code.ValidationFailed);
      expect(e.details).toMatchObject({ field, fields: [{ field, rule: 'notReservedName' }] });
      expect(e.message).toContain(`${field} is a reserved name`);
    }
  });

  it('accepts ordinary keys that only resemble reserved names', () => {
    expect(parseJsonBody(Buffer.from('{"Constructor":1,"proto":2,"__proto":3,"constructorName":"x","toStringValue":"y"}'), 32).ok).toBe(true);
  });
});

describe('media types', () => {
  it('reads the media type without parameters and knows JSON and +json', () => {
    expect(mediaTypeOf('Application/JSON; charset=utf-8')).toBe('application/json');
    expect(mediaTypeOf(undefined)).toBe('');
    expect(isJsonMediaType('application/json')).toBe(true);
    expect(isJsonMediaType('application/merge-patch+json')).toBe(true);
    expect(isJsonMediaType('text/json')).toBe(false);
    expect(isJsonMediaType('multipart/form-data')).toBe(false);
  });
});
