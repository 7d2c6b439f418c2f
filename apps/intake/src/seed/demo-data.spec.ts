import { isValidCreditCode } from '@gov/contracts';
import { MATTER_CODE_PATTERN, unifiedCodeProblem } from '../matters/matter-code';
import { parseElements, uncoveredFields } from '../matters/catalogue/elements';
import { templateFile } from '../matters/guide/templates';
import { MatterElementsSchema } from '../matters/matter-version';
import { DEMO_MATTERS, DEMO_ORG_CODES } from './demo-data';

describe('demo catalogue', () => {
  it('has unified matter codes in their tenant, handled by valid organisation codes, with elements the model accepts', () => {
    for (const m of DEMO_MATTERS) {
      expect(m.code).toMatch(MATTER_CODE_PATTERN);
      expect(unifiedCodeProblem(m.code, m.tenantId)).toBeNull();
      const parsed = MatterElementsSchema.safeParse(m.elements);
      expect(parsed.error?.issues ?? []).toEqual([]);
      expect(isValidCreditCode(m.elements.departmentCode)).toBe(true);
    }
  });

  it('has a matter with a fixed and a variable fee on the standard review, whose handler determines fees (issue 9 §3)', () => {
    const fee = MatterElementsSchema.parse(DEMO_MATTERS.find((m) => m.code === 'DEMO-SCJG-020')?.elements);
    expect(fee.processKey).toBe('standard-review');
    expect(fee.fees.map((f) => f.amountFen)).toEqual([5000, null]);
    expect(fee.stepLimits.map((s) => s.step)).toEqual(['HandlerReview', 'ChiefReview', 'LeaderReview']);
  });

  it('runs the 上报件 matter on the higher-level flow, reviewed by the city bureau in the city tenant', () => {
    const upward = MatterElementsSchema.parse(DEMO_MATTERS.find((m) => m.code === 'DEMO-SCJG-010')?.elements);
    expect(upward.processKey).toBe('higher-level-submission');
    expect(upward.reportsTo).toEqual({ tenantId: '449900', departmentCode: DEMO_ORG_CODES.marketRegistry, departmentName: '示范市市场监督管理局（登记注册处）' });
    expect(upward.stepLimits.map((s) => s.step)).toEqual(['CountyReview', 'CountyChiefReview', 'CityHandlerReview', 'CitySignOff', 'CountyIssue']);
    expect(upward.stepLimits.reduce((n, s) => n + s.workingDays, 0)).toBe(upward.promisedWorkingDays);
    for (const m of DEMO_MATTERS) expect([m.code, parseElements(m.elements).ok]).toEqual([m.code, true]);
  });

  it('runs the joint-review matter with three co-reviewing departments of the city, none of them the lead (issue 9 §1)', () => {
    const joint = MatterElementsSchema.parse(DEMO_MATTERS.find((m) => m.code === 'DEMO-ZRZY-010')?.elements);
    expect(joint.processKey).toBe('joint-review');
    expect(joint.coReviewers.map((c) => c.departmentCode)).toEqual([DEMO_ORG_CODES.housing, DEMO_ORG_CODES.ecology, DEMO_ORG_CODES.police]);
    expect(joint.coReviewers.map((c) => c.departmentCode)).not.toContain(joint.departmentCode);
    expect(joint.stepLimits.map((s) => s.step)).toEqual(['LeadHandlerReview', 'CoReview', 'Consolidate', 'JointMeeting', 'LeaderDecision']);
    expect(parseElements(DEMO_MATTERS.find((m) => m.code === 'DEMO-ZRZY-010')?.elements).ok).toBe(true);
  });

  it('keeps the demo matter the stack tool submits (tools/stack/demo.ts)', () => {
    expect(DEMO_MATTERS.map((m) => m.code)).toContain('DEMO-SCJG-001');
  });

  it('covers the six demo departments, the three levels and every kind issue 8 asks for', () => {
    const all = DEMO_MATTERS.map((m) => ({ code: m.code, ...MatterElementsSchema.parse(m.elements) }));
    expect(all.length).toBeGreaterThanOrEqual(12);
    const departments = new Set(all.map((m) => m.departmentCode));
    for (const d of [DEMO_ORG_CODES.marketRegistry, DEMO_ORG_CODES.resourcesLand, DEMO_ORG_CODES.housing, DEMO_ORG_CODES.ecology, DEMO_ORG_CODES.tax, DEMO_ORG_CODES.police]) expect(departments).toContain(d);
    expect(new Set(all.flatMap((m) => m.levels))).toEqual(new Set(['city', 'county', 'township']));
    expect(all.some((m) => m.kind === '备案')).toBe(true);
    expect(all.some((m) => m.levels.includes('county') && m.reportsUpTo === 'city')).toBe(true);
    expect(all.some((m) => m.commitment !== null)).toBe(true);
    expect(all.filter((m) => m.secret).every((m) => m.onlineClass !== 'A')).toBe(true);
    expect(all.some((m) => m.secret)).toBe(true);
    expect(all.some((m) => m.fees.length > 0)).toBe(true);
    expect(all.some((m) => m.materials.some((x) => x.mayBeDeferred))).toBe(true);
  });

  it('has the construction-land approval on the 5 / 3 / 5 working days of seed 001 text 3', () => {
    // seed 001 text 3: 承办人 5 个工作日内签署审查意见 (art. 13); 处室负责人 3 个工作日内签署初审意见 (art. 16); 分管厅领导 5 个工作日内组织会审 (art. 18)
    const land = MatterElementsSchema.parse(DEMO_MATTERS.find((m) => m.code === 'DEMO-ZRZY-001')?.elements);
    expect(land.stepLimits.map((s) => s.workingDays)).toEqual([5, 3, 5]);
    expect(land.promisedWorkingDays).toBe(13);
  });

  it('has a joint-window bundle of four matters of four departments, listed before it and not bundles themselves', () => {
    const bundles = DEMO_MATTERS.filter((m) => (m.elements.bundle ?? []).length > 0);
    expect(bundles).toHaveLength(1);
    const bundle = bundles[0];
    const index = DEMO_MATTERS.indexOf(bundle);
    const members = (bundle.elements.bundle ?? []).map((code) => DEMO_MATTERS.findIndex((m) => m.code === code));
    expect(members).toHaveLength(4);
    expect(members.every((i) => i >= 0 && i < index)).toBe(true);
    expect(new Set(members.map((i) => DEMO_MATTERS[i].elements.departmentCode)).size).toBe(4);
    expect(members.every((i) => (DEMO_MATTERS[i].elements.bundle ?? []).length === 0)).toBe(true);
    // one combined form (一表制) that fills each member's form
    for (const i of members) expect([DEMO_MATTERS[i].code, uncoveredFields(bundle.elements.formSchema, DEMO_MATTERS[i].elements.formSchema)]).toEqual([DEMO_MATTERS[i].code, []]);
    expect(uncoveredFields({ type: 'object', properties: { a: {} } }, { type: 'object', required: ['a', 'b'] })).toEqual(['b']);
  });

  it('names only templates the guide has', () => {
    for (const m of DEMO_MATTERS) {
      const e = MatterElementsSchema.parse(m.elements);
      for (const file of [...e.materials.map((x) => x.templateFile), e.commitment?.template ?? null]) if (file !== null) expect(templateFile(file)).not.toBeNull();
    }
  });
});
