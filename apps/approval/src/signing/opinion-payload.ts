import { type Principal, actingSubject } from '@gov/auth';
import { canonicalJson } from '@gov/ledger';
import type { OpinionRecord } from '../worklist/opinions.repository';

/** The JWS `typ` of a signed opinion. */
export const OPINION_JWS_TYPE = 'gov-opinion+jws';

/** 同意 / 不同意 (seed 001 text 3 art. 9: the opinion must state clearly whether it agrees). */
export type OpinionStance = 'agree' | 'disagree';

export function stanceOf(outcome: 'approve' | 'reject'): OpinionStance {
  return outcome === 'approve' ? 'agree' : 'disagree';
}

export interface Person {
  id: string;
  name: string;
}

/**
 * What an officer signs. Under delegation (授权) the signer acts for the delegator, and both names are signed with
 * the mark 授权; under AB岗 the signer is the B post acting for the A post, marked B岗 (seed 001 text 3 art. 9).
 */
export interface OpinionPayload {
  v: 1;
  caseNumber: string;
  taskId: string;
  step: { id: string; name: string | null };
  outcome: OpinionStance;
  /** The opinion text; the reasons when disagreeing. */
  opinion: string;
  /** The officer who signs (the deputy under delegation). */
  signer: Person;
  /** The name recorded with the opinion, e.g. "副处长王芳（授权：处长李强）". */
  label: string;
  delegation?: { mode: 'delegation'; mark: '授权'; delegationId: string; delegator: Person } | { mode: 'ab_post'; mark: 'B岗'; delegationId: string; aPost: Person };
  /** The opinion's time (ISO-8601, milliseconds): the time recorded with it. */
  signedAt: string;
}

/** The payload for an opinion an officer records (the principal says who signs and for whom). */
export function opinionPayload(o: Omit<OpinionRecord, 'officerId' | 'signature' | 'signerSerial'>, principal: Principal): OpinionPayload {
  const signer: Person = { id: actingSubject(principal), name: principal.actor?.name ?? principal.name };
  const payload: OpinionPayload = {
    v: 1,
    caseNumber: o.caseNumber,
    taskId: o.taskId,
    step: { id: o.taskDefinitionKey, name: o.stepName },
    outcome: stanceOf(o.outcome),
    opinion: o.opinion,
    signer,
    label: o.officerLabel,
    signedAt: o.createdAt.toISOString(),
  };
  if (principal.actor && principal.delegation) {
    const principalPerson: Person = { id: principal.subject, name: principal.name };
    payload.delegation =
      principal.delegation.mode === 'ab_post'
        ? { mode: 'ab_post', mark: 'B岗', delegationId: principal.delegation.id, aPost: principalPerson }
        : { mode: 'delegation', mark: '授权', delegationId: principal.delegation.id, delegator: principalPerson };
  }
  return payload;
}

/** The bytes signed: canonical JSON (keys sorted at every level, no whitespace), UTF-8. */
export function canonicalPayload(p: OpinionPayload): Buffer {
  return Buffer.from(canonicalJson(p), 'utf8');
}

/**
 * Where a signed payload and the stored opinion differ (empty when they agree). The stored time has microseconds
 * (timestamptz), the signed one milliseconds: they agree when they name the same millisecond.
 */
export function payloadMismatches(p: OpinionPayload, stored: OpinionRecord): string[] {
  const out: string[] = [];
  const check = (field: string, signed: unknown, kept: unknown) => {
    if (signed !== kept) out.push(field);
  };
  check('caseNumber', p.caseNumber, stored.caseNumber);
  check('taskId', p.taskId, stored.taskId);
  check('step.id', p.step?.id, stored.taskDefinitionKey);
  check('step.name', p.step?.name ?? null, stored.stepName);
  check('outcome', p.outcome, stanceOf(stored.outcome));
  check('opinion', p.opinion, stored.opinion);
  check('signer.id', p.signer?.id, stored.officerId);
  check('label', p.label, stored.officerLabel);
  check('signedAt', new Date(p.signedAt).getTime(), new Date(stored.createdAt).getTime());
  return out;
}
