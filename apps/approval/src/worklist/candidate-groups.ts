import { type Principal, Role } from '@gov/auth';

/** Roles that take steps from worklists. Candidate groups in the flows are `<role>:<organisation code>`. */
const WORKING_ROLES: readonly Role[] = [Role.WindowClerk, Role.Handler, Role.SectionChief, Role.Leader];

/** The candidate groups a principal belongs to: each working role at each organisation it acts for. */
export function candidateGroupsOf(p: Principal): string[] {
  return p.roles.filter((r) => WORKING_ROLES.includes(r)).flatMap((role) => p.orgs.map((org) => `${role}:${org}`));
}

/** The organisation codes named by candidate groups such as `handler:11449900000000111Y`. */
export function orgsOfGroups(groups: readonly string[]): string[] {
  return [...new Set(groups.map((g) => g.slice(g.indexOf(':') + 1)).filter(Boolean))];
}
