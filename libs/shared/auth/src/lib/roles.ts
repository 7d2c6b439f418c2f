/** Every role the platform knows. Officers hold roles per organisation; applicants and services have one each. */
export const Role = {
  WindowClerk: 'window_clerk',
  Handler: 'handler',
  SectionChief: 'section_chief',
  Leader: 'leader',
  Supervisor: 'supervisor',
  Sysadmin: 'sysadmin',
  ProcessAnalyst: 'process_analyst',
  /** The government service management office (政务服务管理机构, seed 004 art. 14/16): files catalogue changes (备案). */
  ServiceManagement: 'service_management',
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
  Role.ServiceManagement,
];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ALL_ROLES as readonly string[]).includes(value);
}
