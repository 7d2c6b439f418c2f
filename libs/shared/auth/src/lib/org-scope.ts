import { AppError } from '@gov/service-kit';
import { AuthErrorCode, AuthErrorMessage } from './auth.errors';
import type { Principal } from './principal';

/** What an object-level check needs to know about the record being touched. */
export interface ScopedObject {
  /** The organisation that handles the record (e.g. the department a case sits with). */
  orgCode: string;
  /** Organisations a joint review (并联审批/会签) explicitly shares the record with. */
  sharedWith?: readonly string[];
  /** The applicant who owns the record: their user id (token `sub`) or resident ID / credit code. */
  applicantId?: string;
}

export type ScopeDecision = { allowed: true } | { allowed: false; code: AuthErrorCode };

/**
 * Object-level authorisation. Officers act on what one of their organisations handles (identity expands a
 * department to its sections, and a region to everything below it, when it issues the token) or on what a
 * joint review shares with them; applicants act only on their own records; service principals (workers) are
 * trusted for every organisation because they act on behalf of already-authorised commands.
 */
export function decideScope(principal: Principal, target: ScopedObject): ScopeDecision {
  switch (principal.type) {
    case 'service':
      return { allowed: true };
    case 'applicant': {
      const own =
        target.applicantId !== undefined &&
        (target.applicantId === principal.subject || (principal.applicantId !== undefined && target.applicantId === principal.applicantId));
      return own ? { allowed: true } : { allowed: false, code: AuthErrorCode.NotOwnApplication };
    }
    case 'officer': {
      const orgs = new Set(principal.orgs);
      if (orgs.has(target.orgCode)) return { allowed: true };
      if (target.sharedWith?.some((o) => orgs.has(o))) return { allowed: true };
      return { allowed: false, code: AuthErrorCode.OutsideOrganisation };
    }
  }
}

export const OrgScope = {
  canActOn(principal: Principal, target: ScopedObject): boolean {
    return decideScope(principal, target).allowed;
  },
  /** Throws 403 (OutsideOrganisation / NotOwnApplication) unless the principal may act on the record. */
  assertCanActOn(principal: Principal, target: ScopedObject): void {
    const decision = decideScope(principal, target);
    if (!decision.allowed) throw AppError.forbidden(decision.code, AuthErrorMessage[decision.code]);
  },
  /** For list queries: the organisation codes to filter by (undefined = no organisation filter, for services). */
  visibleOrgs(principal: Principal): readonly string[] | undefined {
    return principal.type === 'service' ? undefined : principal.orgs;
  },
};
