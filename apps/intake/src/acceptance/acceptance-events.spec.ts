import { ApplicationAccepted } from '@gov/contracts';
import type { Application } from '../applications/application.entity';
import { acceptanceMatter } from '../applications/matter-lookup';
import { MatterElementsSchema, type MatterVersion } from '../matters/matter-version';
import { DEMO_MATTERS } from '../seed/demo-data';
import { acceptedData } from './acceptance-events';

const versionOf = (code: string): MatterVersion => {
  const demo = DEMO_MATTERS.find((m) => m.code === code);
  if (!demo) throw new Error(`no demo matter ${code}`);
  return { code, version: 1, tenantId: demo.tenantId, state: 'published', elements: MatterElementsSchema.parse(demo.elements), draftedBy: 'seed', approvedBy: null, filedBy: null, publishedAt: new Date() };
};

const app = (code: string, tenantId: string) =>
  ({
    id: '6f1c1b52-4d0e-4a43-9a39-0b8a4f0f2f11',
    caseNumber: `${tenantId}-20261203-000000001`,
    matterCode: code,
    departmentCode: versionOf(code).elements.departmentCode,
    tenantId,
    applicantKind: 'person',
    applicantId: '449901198503120015',
    applicantName: '张三',
    timeLimitWorkingDays: 15,
    form: {},
    receivedAt: new Date('2026-12-03T01:00:00Z'),
  }) as unknown as Application;

describe('the accepted event', () => {
  it("carries a 上报件's higher-level department, from which approval calls the city's review", () => {
    // given the demo 上报件 of 东城区
    const matter = acceptanceMatter(versionOf('DEMO-SCJG-010'));
    // when
    const data = acceptedData(app('DEMO-SCJG-010', '449901'), matter, new Date(), 'clerk', 'window', new Date());
    // then
    expect(data.processKey).toBe('higher-level-submission');
    expect(data.reportsTo).toEqual({ level: 'city', tenantId: '449900', departmentCode: matter.reportsTo?.departmentCode, departmentName: '示范市市场监督管理局（登记注册处）' });
    expect(ApplicationAccepted.safeParse(data).success).toBe(true);
  });

  it('names no higher level for any other matter', () => {
    const data = acceptedData(app('DEMO-SCJG-001', '449900'), acceptanceMatter(versionOf('DEMO-SCJG-001')), new Date(), 'clerk', 'window', new Date());
    expect(data).not.toHaveProperty('reportsTo');
  });
});
