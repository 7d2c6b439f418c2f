import { APPLICANT_KINDS, ApplicantKind, isApplicantKind, isValidApplicantId } from './applicant-kind';
import { ApplicantRef } from './events';

describe('applicant kinds', () => {
  it('are spelled once: person and legal-entity', () => {
    expect(APPLICANT_KINDS).toEqual(['person', 'legal-entity']);
    expect(isApplicantKind(ApplicantKind.LegalEntity)).toBe(true);
  });

  it('refuse the other spellings that services used to send', () => {
    for (const spelling of ['legal_entity', 'legalEntity', 'enterprise', 'natural', 'Person', '']) {
      // when
      const parsed = ApplicantRef.safeParse({ kind: spelling, id: '11010519491231002X', name: '张三' });
      // then
      expect(parsed.success).toBe(false);
      expect(isApplicantKind(spelling)).toBe(false);
    }
  });

  it('check the identifier that fits the kind', () => {
    expect(isValidApplicantId(ApplicantKind.Person, '11010519491231002X')).toBe(true);
    expect(isValidApplicantId(ApplicantKind.LegalEntity, '11010519491231002X')).toBe(false);
    expect(isValidApplicantId(ApplicantKind.LegalEntity, '91449901MA0000001H')).toBe(true);
    expect(isValidApplicantId(ApplicantKind.Person, '91449901MA0000001H')).toBe(false);
  });
});
