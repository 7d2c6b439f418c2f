import { DEMO_MATTERS } from '../../seed/demo-data';
import { parseElements } from './elements';

const food = DEMO_MATTERS[0].elements;

describe('matter elements validation', () => {
  it('accepts a demo matter', () => {
    expect(parseElements(food)).toMatchObject({ ok: true });
  });

  it('names the field and the rule of a model violation', () => {
    // given a promised limit above the statutory one and a material without a name
    const bad = { ...food, promisedWorkingDays: 30, materials: [{ ...food.materials?.[0], name: '' }] };
    // when
    const r = parseElements(bad);
    // then
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => i.field)).toEqual(expect.arrayContaining(['elements.promisedWorkingDays', 'elements.materials.0.name']));
      expect(r.issues.find((i) => i.field === 'elements.promisedWorkingDays')?.message).toMatch(/cannot exceed the statutory limit/);
    }
  });

  it('refuses a form that is not a JSON Schema of an object', () => {
    expect(parseElements({ ...food, formSchema: { type: 'array' } })).toMatchObject({ ok: false, issues: [{ field: 'elements.formSchema.type', rule: 'formIsObject' }] });
    expect(parseElements({ ...food, formSchema: { type: 'object', properties: { a: { type: 'nonsense' } } } })).toMatchObject({ ok: false, issues: [{ field: 'elements.formSchema', rule: 'jsonSchema' }] });
    expect(parseElements({ ...food, formSchema: { type: 'object', properties: { a: { $ref: 'https://example.org/x.json' } } } })).toMatchObject({ ok: false, issues: [{ field: 'elements.formSchema', rule: 'jsonSchema' }] });
  });

  it('requires the higher-level department of a 上报件 matter, and refuses one without the level', () => {
    // given the demo 上报件 (DEMO-SCJG-010) and a copy without its department, and a plain matter naming one
    const upward = DEMO_MATTERS.find((m) => m.code === 'DEMO-SCJG-010')?.elements;
    const city = { tenantId: '449900', departmentCode: food.departmentCode, departmentName: '示范市市场监督管理局' };
    // when / then
    expect(parseElements(upward)).toMatchObject({ ok: true, elements: { reportsUpTo: 'city', reportsTo: { tenantId: '449900' } } });
    expect(parseElements({ ...upward, reportsTo: null })).toMatchObject({ ok: false, issues: [{ field: 'elements.reportsTo', rule: 'reportsToRequired' }] });
    expect(parseElements({ ...food, reportsTo: city })).toMatchObject({ ok: false, issues: [{ field: 'elements.reportsTo', rule: 'reportsToWithoutLevel' }] });
    expect(parseElements({ ...upward, reportsTo: { ...city, tenantId: 'city' } })).toMatchObject({ ok: false, issues: [{ field: 'elements.reportsTo.tenantId' }] });
    expect(parseElements({ ...upward, reportsTo: { ...city, extra: 1 } })).toMatchObject({ ok: false, issues: [{ field: 'elements.reportsTo' }] });
  });

  it('takes co-reviewing departments (并联审批) other than the lead, each once, with their codes and names', () => {
    // given
    const joint = DEMO_MATTERS.find((m) => m.code === 'DEMO-ZRZY-010')?.elements;
    const [housing, ecology] = (joint?.coReviewers ?? []).map((c) => ({ ...c }));
    const lead = { departmentCode: String(joint?.departmentCode), departmentName: '牵头部门' };
    // when / then
    expect(parseElements(joint)).toMatchObject({ ok: true, elements: { coReviewers: [housing, ecology, expect.anything()] } });
    expect(parseElements({ ...food })).toMatchObject({ ok: true, elements: { coReviewers: [] } });
    expect(parseElements({ ...joint, coReviewers: [housing, lead] })).toMatchObject({ ok: false, issues: [{ field: 'elements.coReviewers.1.departmentCode', rule: 'coReviewerIsLead' }] });
    expect(parseElements({ ...joint, coReviewers: [housing, ecology, housing] })).toMatchObject({ ok: false, issues: [{ field: 'elements.coReviewers.2.departmentCode', rule: 'unique' }] });
    expect(parseElements({ ...joint, coReviewers: [{ ...housing, departmentCode: 'short' }] })).toMatchObject({ ok: false, issues: [{ field: 'elements.coReviewers.0.departmentCode' }] });
    expect(parseElements({ ...joint, coReviewers: [{ departmentCode: housing.departmentCode }] })).toMatchObject({ ok: false, issues: [{ field: 'elements.coReviewers.0.departmentName' }] });
  });

  it('refuses a secret matter offered online', () => {
    expect(parseElements({ ...food, secret: true, onlineClass: 'A' })).toMatchObject({ ok: false, issues: [{ field: 'elements.onlineClass' }] });
  });
});
