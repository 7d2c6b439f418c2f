import { isValidCreditCode } from '@gov/contracts';
import { MATTER_CODE_PATTERN, unifiedCodeProblem } from '../matters/matter-code';
import { MatterElementsSchema } from '../matters/matter-version';
import { DEMO_MATTERS } from './demo-data';

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

  it('keeps the demo matter the stack tool submits (tools/stack/demo.ts)', () => {
    expect(DEMO_MATTERS.map((m) => m.code)).toContain('DEMO-SCJG-001');
  });
});
