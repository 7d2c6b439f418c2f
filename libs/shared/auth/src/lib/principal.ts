import { type Role, isRole } from './roles';

export type PrincipalType = 'officer' | 'applicant' | 'service';

/** Who acts under delegation: the deputy, recorded next to the delegator (the token's subject). */
export interface Actor {
  subject: string;
  name: string;
}

export interface DelegationInfo {
  id: string;
  /** 'delegation' = time-bounded 授权 by a chief; 'ab_post' = AB岗 backup. */
  mode: 'delegation' | 'ab_post';
}

/** The authenticated caller, as every service sees it after the guard. */
export interface Principal {
  /** The user id (officer/applicant) or client id (service) whose authority is used. */
  subject: string;
  type: PrincipalType;
  name: string;
  roles: Role[];
  /** Organisation codes whose work this principal may act on. Empty for applicants. */
  orgs: string[];
  /** For applicants: the resident ID or unified social credit code they applied with. */
  applicantId?: string;
  /** Present only when a deputy acts for the subject (授权 / AB岗). */
  actor?: Actor;
  delegation?: DelegationInfo;
  tokenId: string;
  expiresAt: Date;
}

/** JWT claims the identity service puts in an access token (besides iss, aud, sub, exp, iat, jti). */
export interface AccessTokenClaims {
  ptype: PrincipalType;
  name: string;
  roles: string[];
  orgs: string[];
  aid?: string;
  act?: { sub: string; name: string };
  del?: { id: string; mode: 'delegation' | 'ab_post' };
}

export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** "李科长" or, under delegation, "王副科长（授权：李科长）": the label stored with actions. */
export function actorLabel(p: Principal): string {
  if (!p.actor) return p.name;
  const mark = p.delegation?.mode === 'ab_post' ? 'AB岗' : '授权';
  return `${p.actor.name}（${mark}：${p.name}）`;
}

/** The person who physically acted (the deputy under delegation). */
export function actingSubject(p: Principal): string {
  return p.actor?.subject ?? p.subject;
}

export function principalFromClaims(payload: Record<string, unknown>): Principal | undefined {
  const { sub, jti, exp, ptype, name, roles, orgs, aid, act, del } = payload;
  if (typeof sub !== 'string' || typeof jti !== 'string' || typeof exp !== 'number') return undefined;
  if (ptype !== 'officer' && ptype !== 'applicant' && ptype !== 'service') return undefined;
  if (!Array.isArray(roles) || !roles.every(isRole)) return undefined;
  if (!Array.isArray(orgs) || !orgs.every((o) => typeof o === 'string')) return undefined;
  const principal: Principal = {
    subject: sub,
    type: ptype,
    name: typeof name === 'string' ? name : sub,
    roles,
    orgs: orgs,
    tokenId: jti,
    expiresAt: new Date(exp * 1000),
  };
  if (typeof aid === 'string') principal.applicantId = aid;
  if (isObj(act) && typeof act.sub === 'string' && typeof act.name === 'string') principal.actor = { subject: act.sub, name: act.name };
  if (isObj(del) && typeof del.id === 'string' && (del.mode === 'delegation' || del.mode === 'ab_post')) {
    principal.delegation = { id: del.id, mode: del.mode };
  }
  return principal;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
