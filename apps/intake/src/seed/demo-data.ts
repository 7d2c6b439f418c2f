import type { Matter } from '../matters/matter.entity';

// The demo catalogue for development and test (never production): the walking skeleton's matter, handled by the
// registration section (登记注册处) of the demo city's market regulation bureau (identity's demo seed, DEMO_ORGS
// marketRegistry), in the city's tenant 449900, on the skeleton flow (bpmn/, deployed by the stack tool for 449900).
export const DEMO_TENANT = '449900';

export const DEMO_MATTERS: ReadonlyArray<Omit<Matter, 'active'>> = [
  {
    code: 'DEMO-SCJG-001',
    name: '食品经营许可（演示）',
    kind: '审批',
    departmentCode: '11449900000000111Y',
    tenantId: DEMO_TENANT,
    processKey: 'skeleton-approval',
    timeLimitWorkingDays: 7,
    legalBasis: '《食品经营许可和备案管理办法》',
  },
];
