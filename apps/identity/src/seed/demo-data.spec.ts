import { OFFICER_ROLES, Role } from '@gov/auth';
import { isValidApplicantId, isValidCreditCode } from '@gov/contracts';
import { DEMO_APPLICANTS, DEMO_OFFICERS, DEMO_ORGS } from './demo-data';

describe('demo seed data', () => {
  it('gives every organisation a valid unified code', () => {
    for (const org of Object.values(DEMO_ORGS)) expect(isValidCreditCode(org.code)).toBe(true);
  });

  it('has at least one officer for every officer role', () => {
    const held = new Set(DEMO_OFFICERS.flatMap((o) => o.roles.map(([, role]) => role)));
    for (const role of OFFICER_ROLES) expect(held.has(role)).toBe(true);
  });

  it("has a county supervisor whose jurisdiction is one county (东城区), beside the city's", () => {
    const county = DEMO_OFFICERS.find((o) => o.username === 'supervisor.dongcheng');
    expect(county?.roles).toEqual([['dongcheng', Role.Supervisor]]);
    expect(DEMO_ORGS.dongcheng.level).toBe('county');
  });

  it('uses valid resident IDs and credit codes for the demo applicants', () => {
    for (const a of DEMO_APPLICANTS) {
      expect(isValidApplicantId(a.applicantKind, a.applicantId)).toBe(true);
    }
  });

  it('has a city with two counties and one township, and the six named departments', () => {
    const regions = Object.values(DEMO_ORGS).filter((o) => o.kind === 'region');
    expect(regions.filter((r) => r.level === 'city')).toHaveLength(1);
    expect(regions.filter((r) => r.level === 'county')).toHaveLength(2);
    expect(regions.filter((r) => r.level === 'township')).toHaveLength(1);
    const names = Object.values(DEMO_ORGS).map((o) => o.name).join(' ');
    for (const dept of ['市场监督管理局', '自然资源局', '住房和城乡建设局', '生态环境局', '税务局', '公安局']) expect(names).toContain(dept);
  });
});
