import { isValidCreditCode, isValidResidentId } from './china-ids';

/**
 * The two kinds of applicant, spelled once for every service, event and API: a natural person (自然人), identified by
 * the 18-digit resident ID, and a legal entity (法人或其他组织), identified by the unified social credit code.
 */
export const ApplicantKind = {
  Person: 'person',
  LegalEntity: 'legal-entity',
} as const;
export type ApplicantKind = (typeof ApplicantKind)[keyof typeof ApplicantKind];

export const APPLICANT_KINDS = [ApplicantKind.Person, ApplicantKind.LegalEntity] as const satisfies readonly ApplicantKind[];

export function isApplicantKind(value: unknown): value is ApplicantKind {
  return typeof value === 'string' && (APPLICANT_KINDS as readonly string[]).includes(value);
}

/** Whether `id` is a valid identifier for the kind: a resident ID for a person, a credit code for a legal entity. */
export function isValidApplicantId(kind: ApplicantKind, id: string): boolean {
  switch (kind) {
    case ApplicantKind.Person:
      return isValidResidentId(id);
    case ApplicantKind.LegalEntity:
      return isValidCreditCode(id);
  }
}
