import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { IntakeErrors } from '../errors';

// Forms are validated against the JSON Schema (2020-12) of the matter version they are submitted under (issue 8, "Bad
// input": the error names the field and the rule). Published versions never change, so each compiles once.
const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();
const MAX_CACHED = 500;

function validatorFor(key: string, schema: Record<string, unknown>): ValidateFunction {
  let v = compiled.get(key);
  if (!v) {
    if (compiled.size >= MAX_CACHED) compiled.clear();
    v = ajv.compile(schema);
    compiled.set(key, v);
  }
  return v;
}

/** The form field an error is about: `form.premises.address`, `form.rooms[2]`, or the missing property. */
function fieldOf(e: ErrorObject): string {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('');
  const params = e.params as { missingProperty?: string; additionalProperty?: string };
  const extra = e.keyword === 'required' ? `.${params.missingProperty ?? ''}` : e.keyword === 'additionalProperties' ? `.${params.additionalProperty ?? ''}` : '';
  return `form${path}${extra}`;
}

/** Refuses (400 ValidationFailed, each field with its rule) a form that does not match the matter version's schema. */
export function assertFormMatches(matterCode: string, version: number, schema: Record<string, unknown>, form: Record<string, unknown>): void {
  const validate = validatorFor(`${matterCode}@${version}`, schema);
  if (validate(form)) return;
  const fields = (validate.errors ?? []).slice(0, 20).map((e) => {
    const field = fieldOf(e);
    const message = e.keyword === 'required' ? `${field} is required` : e.keyword === 'additionalProperties' ? `${field} is not a field of this form` : `${field} ${e.message ?? 'is invalid'}`;
    return { field, rule: `jsonSchema.${e.keyword}`, message };
  });
  throw IntakeErrors.error('ValidationFailed', `The form does not match the form of ${matterCode} (version ${version}): ${fields.map((f) => f.message).join('; ')}.`, { field: fields[0]?.field ?? 'form', fields });
}
