/** Every role the platform knows. Officers hold roles per organisation; applicants and services have one each. */
export const Role = {
  WindowClerk: 'window_clerk',
  Handler: 'handler',
  SectionChief: 'section_chief',
  Leader: 'leader',
  Supervisor: 'supervisor',
  Sysadmin: 'sysadmin',
  ProcessAnalyst: 'process_analyst',
  Applicant: 'applicant',
  Service: 'service',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export const ALL_ROLES: readonly Role[] = Object.values(Role);
export const OFFICER_ROLES: readonly Role[] = [
  Role.WindowClerk,
  Role.Handler,
  Role.SectionChief,
  Role.Leader,
  Role.Supervisor,
  Role.Sysadmin,
  Role.ProcessAnalyst,
];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ALL_ROLES as readonly string[]).includes(value);
}
