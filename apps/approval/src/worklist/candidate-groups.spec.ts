import type { Principal } from '@gov/auth';
import { candidateGroupsOf, orgsOfGroups } from './candidate-groups';

const officer = (roles: string[], orgs: string[]): Principal =>
  ({ subject: 'u', type: 'officer', name: 'n', roles, orgs, tokenId: 'j', expiresAt: new Date() }) as Principal;

describe('candidate groups', () => {
  it('pairs each working role with each organisation the officer acts for', () => {
    expect(candidateGroupsOf(officer(['handler', 'section_chief'], ['A', 'B'])).sort()).toEqual(['handler:A', 'handler:B', 'section_chief:A', 'section_chief:B']);
  });

  it('gives supervisors and administrators no worklist groups', () => {
    expect(candidateGroupsOf(officer(['supervisor', 'sysadmin'], ['A']))).toEqual([]);
  });

  it('reads the organisations out of group names', () => {
    expect(orgsOfGroups(['handler:A', 'leader:A', 'handler:B'])).toEqual(['A', 'B']);
  });
});
