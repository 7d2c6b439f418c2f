import { isValidCreditCode } from '@gov/contracts';
import { MATTER_CODE_PATTERN } from '../matters/matter-code';
import { DEMO_MATTERS, DEMO_TENANT } from './demo-data';

describe('demo catalogue', () => {
  it('has well-formed matter codes handled by valid organisation codes in the demo tenant', () => {
    for (const m of DEMO_MATTERS) {
      expect(m.code).toMatch(MATTER_CODE_PATTERN);
      expect(isValidCreditCode(m.departmentCode)).toBe(true);
      expect(m.tenantId).toBe(DEMO_TENANT);
    }
  });

  it('keeps the demo matter the stack tool submits (tools/stack/demo.ts)', () => {
    expect(DEMO_MATTERS.map((m) => m.code)).toContain('DEMO-SCJG-001');
  });
});
