/** The organisations a step's candidate groups (`role:orgCode`) name, in order, without repeats. */
export function orgsOfGroups(groups: readonly string[]): string[] {
  return [...new Set(groups.filter((g) => g.includes(':')).map((g) => g.slice(g.indexOf(':') + 1)))];
}

/** The organisation (section or department) that handles a step: the first its candidate groups name. */
export function orgOfStep(step: { candidateGroups: readonly string[] }): string | null {
  return orgsOfGroups(step.candidateGroups)[0] ?? null;
}
