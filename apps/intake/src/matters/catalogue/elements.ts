import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { type MatterElements, MatterElementsSchema } from '../matter-version';

export interface ElementIssue {
  field: string;
  rule: string;
  message: string;
}

export type ElementsResult = { ok: true; elements: MatterElements } | { ok: false; issues: ElementIssue[] };

// The usual formats (date, email, uri ...) are known (ajv-formats); an unknown one is an annotation only, as 2020-12 allows.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: true, logger: false });
addFormats(ajv);
/** A form schema larger than this (serialised) is refused: forms are forms, not data sets. */
export const FORM_SCHEMA_MAX_BYTES = 64 * 1024;

function pathOf(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  return [prefix, ...path.map((p) => String(p))].filter((p) => p !== '').join('.');
}

/**
 * Validates a matter version's elements: the shared model (zod), and the form as a JSON Schema (draft 2020-12) that
 * compiles. Each issue names the field (`<prefix>.materials.0.key`) and the rule.
 */
export function parseElements(input: unknown, prefix = 'elements'): ElementsResult {
  const parsed = MatterElementsSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ field: pathOf(prefix, i.path), rule: i.code, message: `${pathOf(prefix, i.path)}: ${i.message}` })) };
  }
  const e = parsed.data;
  const field = pathOf(prefix, ['formSchema']);
  if (JSON.stringify(e.formSchema).length > FORM_SCHEMA_MAX_BYTES) return { ok: false, issues: [{ field, rule: 'maxBytes', message: `${field} is larger than ${FORM_SCHEMA_MAX_BYTES} bytes` }] };
  if (e.formSchema['type'] !== 'object') return { ok: false, issues: [{ field: `${field}.type`, rule: 'formIsObject', message: `${field}.type must be "object": a form is a set of named fields` }] };
  try {
    if (!ajv.validateSchema(e.formSchema)) {
      const first = ajv.errors?.[0];
      return { ok: false, issues: [{ field, rule: 'jsonSchema', message: `${field} is not a valid JSON Schema (2020-12): ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim() }] };
    }
    ajv.compile(e.formSchema);
    ajv.removeSchema(e.formSchema);
  } catch (err) {
    ajv.removeSchema(e.formSchema);
    return { ok: false, issues: [{ field, rule: 'jsonSchema', message: `${field} does not compile as a JSON Schema: ${err instanceof Error ? err.message.slice(0, 300) : 'invalid'}` }] };
  }
  if (e.reportsUpTo && !e.reportsTo) {
    const f = pathOf(prefix, ['reportsTo']);
    return { ok: false, issues: [{ field: f, rule: 'reportsToRequired', message: `${f} is required when reportsUpTo is set: the higher-level department { tenantId, departmentCode, departmentName } that reviews and signs off the case (上报件)` }] };
  }
  if (e.reportsTo && !e.reportsUpTo) {
    const f = pathOf(prefix, ['reportsTo']);
    return { ok: false, issues: [{ field: f, rule: 'reportsToWithoutLevel', message: `${f} names a higher-level department, but reportsUpTo is not set: set reportsUpTo (the level) or leave reportsTo null` }] };
  }
  const coCodes = e.coReviewers.map((c) => c.departmentCode);
  if (coCodes.includes(e.departmentCode)) {
    const f = pathOf(prefix, ['coReviewers', coCodes.indexOf(e.departmentCode), 'departmentCode']);
    return { ok: false, issues: [{ field: f, rule: 'coReviewerIsLead', message: `${f} is the responsible (lead) department itself: a co-reviewer is another department` }] };
  }
  const twice = coCodes.findIndex((c, i) => coCodes.indexOf(c) !== i);
  if (twice >= 0) {
    const f = pathOf(prefix, ['coReviewers', twice, 'departmentCode']);
    return { ok: false, issues: [{ field: f, rule: 'unique', message: `${f} names a co-reviewing department twice` }] };
  }
  if (e.bundle.length > 0 && new Set(e.bundle).size !== e.bundle.length) return { ok: false, issues: [{ field: pathOf(prefix, ['bundle']), rule: 'unique', message: `${pathOf(prefix, ['bundle'])} names a matter twice` }] };
  return { ok: true, elements: e };
}

/**
 * A joint-window bundle has one combined form (issue 8 §1, seed 003 一表制): every field a member's form requires must
 * be a field of the bundle's form, so the one form can fill each member's. The fields missing, or [] when it covers them.
 */
export function uncoveredFields(bundleForm: Record<string, unknown>, memberForm: Record<string, unknown>): string[] {
  const properties = bundleForm['properties'];
  const have = typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
  const required = Array.isArray(memberForm['required']) ? (memberForm['required'] as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  return required.filter((f) => !have.includes(f));
}
