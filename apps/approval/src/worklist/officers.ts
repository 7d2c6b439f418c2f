import { Role } from '@gov/auth';

/** The roles that work steps. */
export const OFFICERS = [Role.WindowClerk, Role.Handler, Role.SectionChief, Role.Leader] as const;
