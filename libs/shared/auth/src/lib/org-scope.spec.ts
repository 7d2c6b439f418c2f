import { AppError } from '@gov/service-kit';
import { OrgScope } from './org-scope';
import type { Principal } from './principal';

function principal(p: Partial<Principal>): Principal {
  return { subject: 'u1', type: 'officer', name: 'n', roles: [], orgs: [], tokenId: 'j', expiresAt: new Date(), ...p };
}

describe('OrgScope', () => {
  it('lets an officer act on what their organisation handles', () => {
    expect(OrgScope.canActOn(principal({ orgs: ['DEPT-A'] }), { orgCode: 'DEPT-A' })).toBe(true);
  });

  it('denies an officer of another organisation with 403 OutsideOrganisation', () => {
    // given
    const officer = principal({ orgs: ['DEPT-B'] });
    // when
    const act = () => OrgScope.assertCanActOn(officer, { orgCode: 'DEPT-A' });
    // then
    expect(act).toThrow(AppError);
    try {
      act();
    } catch (e) {
      expect((e as AppError).status).toBe(403);
      expect((e as AppError).code).toBe('OutsideOrganisation');
    }
  });

  it('lets an officer act on what a joint review shares with their organisation', () => {
    expect(OrgScope.canActOn(principal({ orgs: ['DEPT-B'] }), { orgCode: 'DEPT-A', sharedWith: ['DEPT-B'] })).toBe(true);
  });

  it('lets an applicant act only on their own applications', () => {
    const applicant = principal({ type: 'applicant', subject: 'user-7', applicantId: '11010519491231002X', orgs: [] });
    expect(OrgScope.canActOn(applicant, { orgCode: 'DEPT-A', applicantId: 'user-7' })).toBe(true);
    expect(OrgScope.canActOn(applicant, { orgCode: 'DEPT-A', applicantId: '11010519491231002X' })).toBe(true);
    expect(OrgScope.canActOn(applicant, { orgCode: 'DEPT-A', applicantId: 'user-8' })).toBe(false);
    expect(OrgScope.canActOn(applicant, { orgCode: 'DEPT-A' })).toBe(false);
  });

  it('trusts service principals for every organisation', () => {
    expect(OrgScope.canActOn(principal({ type: 'service', roles: ['service'] }), { orgCode: 'ANY' })).toBe(true);
  });
});
