import { CaseNumber } from '@gov/contracts';
import type { AnomalyRule, CaseFact, Finding } from './rule';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const orgOf = (group: string): string => group.slice(group.indexOf(':') + 1);
const roleOf = (group: string): string => group.slice(0, group.indexOf(':'));
const facts = (ctx: { facts: readonly CaseFact[] }, type: CaseFact['type']): CaseFact[] => ctx.facts.filter((f) => f.type === type);
/**
 * A decided event that is not the case's decision on the merits: the revocation (撤销许可决定) of an approval, issued
 * later (告知承诺制: a false commitment). The decision rules judged the approval already.
 */
const isRevocation = (ctx: { event: { type: string; data: unknown } }): boolean => ctx.event.type === 'gov.approval.case.decided' && (ctx.event.data as Record<string, unknown>).decision === 'revoked';

/** 004 art. 27: a decision issued without every opinion a joint review asked for (会签意见不全). */
export const jointReviewIncomplete: AnomalyRule = {
  name: 'joint-review-incomplete',
  version: 1,
  description: 'A decision issued before every department asked in a joint review gave its opinion (seed 004 art. 27).',
  triggers: ['gov.approval.case.decided'],
  defaults: {},
  evaluate(ctx) {
    if (isRevocation(ctx)) return [];
    const asked = new Set(facts(ctx, 'gov.approval.joint-review.requested').flatMap((f) => f.data.departments as string[]));
    const answered = new Set(facts(ctx, 'gov.approval.joint-review.opinion-recorded').map((f) => f.data.departmentCode as string));
    const missing = [...asked].filter((d) => !answered.has(d));
    if (missing.length === 0) return [];
    return [{ key: 'decision', orgCode: ctx.kase?.departmentCode ?? null, evidence: { missingOpinions: missing, asked: [...asked], decidedAt: ctx.event.time } }];
  },
};

/** A required step (per process, configured per bureau) never completed before the decision. */
export const stepSkipped: AnomalyRule<{ requiredSteps: Record<string, string[]> }> = {
  name: 'step-skipped',
  version: 1,
  description: "A decision issued while a step the process requires (params.requiredSteps[processKey]) was never completed: a step skipped or an opinion missing (seed 004 art. 27).",
  triggers: ['gov.approval.case.decided'],
  defaults: { requiredSteps: {} },
  evaluate(ctx) {
    if (isRevocation(ctx)) return [];
    const processKey = ctx.kase?.processKey ?? ctx.steps[0]?.processInstanceId ?? '';
    const required = ctx.params.requiredSteps[processKey] ?? [];
    const done = new Set(ctx.steps.filter((s) => s.closeReason === 'completed').map((s) => s.taskDefinitionKey));
    const skipped = required.filter((k) => !done.has(k));
    if (skipped.length === 0) return [];
    return [{ key: 'decision', orgCode: ctx.kase?.departmentCode ?? null, evidence: { processKey, skippedSteps: skipped, completedSteps: [...done] } }];
  },
};

/** 001 text 3: acceptance (受理) more than N working days after the application was submitted. */
export const acceptanceLate: AnomalyRule<{ maxWorkingDays: number }> = {
  name: 'acceptance-late',
  version: 1,
  description: 'An application accepted more than params.maxWorkingDays (5) working days after it was submitted.',
  triggers: ['gov.intake.application.accepted'],
  defaults: { maxWorkingDays: 5 },
  evaluate(ctx) {
    const submitted = str(ctx.event.data && (ctx.event.data as Record<string, unknown>).submittedAt);
    const accepted = str((ctx.event.data as Record<string, unknown>).acceptedAt);
    if (!submitted || !accepted) return [];
    const used = ctx.calendar.workingDaysBetween(new Date(submitted), new Date(accepted));
    if (used <= ctx.params.maxWorkingDays) return [];
    return [{ key: 'acceptance', orgCode: ctx.kase?.departmentCode ?? null, evidence: { submittedAt: submitted, acceptedAt: accepted, workingDays: used, maxWorkingDays: ctx.params.maxWorkingDays } }];
  },
};

/** 004 art. 27: a fee other than the catalogue's (擅自收费/变更收费标准). */
export const feeMismatch: AnomalyRule = {
  name: 'fee-mismatch',
  version: 1,
  description: "A fee assessed at an amount other than the matter's catalogue entry (seed 004 art. 27).",
  triggers: ['gov.intake.fee.assessed', 'gov.approval.fee.determined'],
  defaults: {},
  evaluate(ctx) {
    const d = ctx.event.data as Record<string, unknown>;
    if (ctx.event.type === 'gov.approval.fee.determined') {
      // The handler's determination (approval refuses an amount off a fixed catalogue amount; this catches what gets
      // past it). A fee whose catalogue amount varies (null) has nothing to compare with.
      const items = Array.isArray(d.items) ? (d.items as Array<{ code: string; amountFen: number; catalogueAmountFen: number | null }>) : [];
      return items
        .filter((i) => i.catalogueAmountFen !== null && i.amountFen !== i.catalogueAmountFen)
        .map((i) => ({ key: `fee:${i.code}:${ctx.event.id}`, orgCode: ctx.kase?.departmentCode ?? null, evidence: { itemCode: i.code, matterCode: d.matterCode, amountFen: i.amountFen, catalogueAmountFen: i.catalogueAmountFen } }));
    }
    if (d.amountFen === d.catalogueAmountFen) return [];
    return [{ key: `fee:${String(d.itemCode)}:${ctx.event.id}`, orgCode: ctx.kase?.departmentCode ?? null, evidence: { itemCode: d.itemCode, matterCode: d.matterCode, amountFen: d.amountFen, catalogueAmountFen: d.catalogueAmountFen } }];
  },
};

/**
 * A case reopened, or its data changed, after its decision. Steps a flow opens after its decision by design are not
 * changes (params.expectedAfterDecision, by process key: 告知承诺制 verifies the commitment after approving on it, and
 * records and revokes when it was false; seed 003).
 */
export const changedAfterDecision: AnomalyRule<{ expectedAfterDecision: Record<string, string[]> }> = {
  name: 'changed-after-decision',
  version: 2,
  description: 'A step opened or completed, a fee assessed or a return made on a case after its decision was issued (except the steps params.expectedAfterDecision names per process key).',
  triggers: ['gov.approval.step.opened', 'gov.approval.step.completed', 'gov.intake.fee.assessed', 'gov.approval.fee.determined', 'gov.approval.case.returned'],
  defaults: { expectedAfterDecision: { 'notification-commitment': ['Verification', 'RecordFalseCommitment', 'RevocationDecision'] } },
  evaluate(ctx) {
    const decided = ctx.kase?.decidedAt;
    if (!decided) return [];
    const d = ctx.event.data as Record<string, unknown>;
    const at = new Date(str(d.openedAt) && ctx.event.type === 'gov.approval.step.opened' ? (d.openedAt as string) : (str(d.completedAt) ?? ctx.event.time));
    if (at <= decided) return [];
    const processKey = str(d.processDefinitionKey);
    const stepKey = str(d.taskDefinitionKey);
    if (processKey && stepKey && Object.hasOwn(ctx.params.expectedAfterDecision, processKey) && ctx.params.expectedAfterDecision[processKey]?.includes(stepKey)) return [];
    const stepId = str(d.taskId);
    return [{ key: `after-decision:${ctx.event.id}`, stepId, officer: str(d.assignee), orgCode: ctx.kase?.departmentCode ?? null, evidence: { event: ctx.event.type, eventId: ctx.event.id, at: at.toISOString(), decidedAt: decided.toISOString() } }];
  },
};

/** The same officer handled and approved where the process separates them (审批分离). */
export const separationOfDuties: AnomalyRule<{ pairs: [string, string][] }> = {
  name: 'separation-of-duties',
  version: 1,
  description: 'The same officer completed two steps of a case that must be done by different people (params.pairs of step keys).',
  triggers: ['gov.approval.step.completed'],
  defaults: { pairs: [['HandlerReview', 'ChiefReview'], ['HandlerReview', 'LeaderDecision'], ['ChiefReview', 'LeaderDecision']] },
  evaluate(ctx) {
    const d = ctx.event.data as Record<string, unknown>;
    const who = str(d.assignee);
    const key = str(d.taskDefinitionKey);
    if (!who || !key) return [];
    const findings: Finding[] = [];
    for (const [a, b] of ctx.params.pairs) {
      const other = key === a ? b : key === b ? a : null;
      if (!other) continue;
      const same = ctx.steps.find((s) => s.taskDefinitionKey === other && s.closeReason === 'completed' && s.assignee === who && s.stepId !== d.taskId);
      if (same) findings.push({ key: `sod:${[a, b].sort().join('+')}:${who}`, stepId: str(d.taskId), officer: who, orgCode: null, evidence: { officer: who, steps: [{ key: other, stepId: same.stepId }, { key, stepId: d.taskId }] } });
    }
    return findings;
  },
};

/** More than N returns (退回) on one case. */
export const tooManyReturns: AnomalyRule<{ maxReturns: number }> = {
  name: 'too-many-returns',
  version: 1,
  description: 'A case sent back more than params.maxReturns (2) times.',
  triggers: ['gov.approval.case.returned'],
  defaults: { maxReturns: 2 },
  evaluate(ctx) {
    const returns = facts(ctx, 'gov.approval.case.returned');
    if (returns.length <= ctx.params.maxReturns) return [];
    return [{ key: 'returns', orgCode: ctx.kase?.departmentCode ?? null, evidence: { returns: returns.length, maxReturns: ctx.params.maxReturns, reasons: returns.map((r) => r.data.reason) } }];
  },
};

/** A suspension that lasted longer than the duration stated when it began. */
export const suspensionOverrun: AnomalyRule = {
  name: 'suspension-overrun',
  version: 1,
  description: 'A suspension (暂停计算) that lasted more working days than stated when it began.',
  triggers: ['gov.approval.step.resumed'],
  defaults: {},
  evaluate(ctx) {
    const d = ctx.event.data as Record<string, unknown>;
    const started = facts(ctx, 'gov.approval.step.suspended').find((f) => f.data.suspensionId === d.suspensionId);
    const stated = started?.data.statedWorkingDays;
    if (!started || typeof stated !== 'number') return [];
    const used = ctx.calendar.workingDaysBetween(new Date(started.data.suspendedAt as string), new Date(d.resumedAt as string));
    if (used <= stated) return [];
    return [{ key: `suspension:${String(d.suspensionId)}`, stepId: str(started.data.stepId), orgCode: ctx.kase?.departmentCode ?? null, evidence: { suspensionId: d.suspensionId, reason: started.data.reason, statedWorkingDays: stated, workingDays: used } }];
  },
};

/** Publicity (公示) of a decision later than N working days after it (seed 004 art. 27: 未按规定公开). */
export const publicityLate: AnomalyRule<{ maxWorkingDays: number }> = {
  name: 'publicity-late',
  version: 2,
  description: "A decision made public after the deadline art. 21 sets (intake's publicity event names it: dueBy, 5 days from what the article counts from), or more than params.maxWorkingDays (5) working days after it was issued.",
  triggers: ['gov.intake.publicity.published', 'gov.approval.decision.published'],
  defaults: { maxWorkingDays: 5 },
  evaluate(ctx) {
    const d = ctx.event.data as Record<string, unknown>;
    if (ctx.event.type === 'gov.intake.publicity.published') {
      const publishedAt = str(d.publishedAt);
      const dueBy = str(d.dueBy);
      if (!publishedAt || !dueBy || Date.parse(publishedAt) <= Date.parse(dueBy)) return [];
      return [{ key: 'publicity', orgCode: ctx.kase?.departmentCode ?? str(d.departmentCode), evidence: { publicityCase: d.publicityCase, countsFrom: d.countsFrom, dueBy, publishedAt, documentNumber: d.documentNumber, seed: '001 text 3 art. 21' } }];
    }
    const decided = ctx.kase?.decidedAt;
    const published = str(d.publishedAt);
    if (!decided || !published) return [];
    const used = ctx.calendar.workingDaysBetween(decided, new Date(published));
    if (used <= ctx.params.maxWorkingDays) return [];
    return [{ key: 'publicity', orgCode: ctx.kase?.departmentCode ?? null, evidence: { decidedAt: decided.toISOString(), publishedAt: published, workingDays: used, maxWorkingDays: ctx.params.maxWorkingDays } }];
  },
};

/**
 * Seed 004 art. 27 (二) 非法、越权操作: a step completed or a case returned by an officer none of whose groups is one
 * of the step's candidate groups (no such role, or another organisation), as the event's `actorGroups` tell it; and
 * a request about a case that an officer was refused (403, `gov.platform.security.recorded`).
 */
export const unauthorisedAction: AnomalyRule<{ refusals: boolean }> = {
  name: 'unauthorised-action',
  version: 1,
  description:
    "An action on a case by someone without the step's role or outside its organisation (the event's actorGroups against the step's candidate groups), or a refused (403) request about the case (seed 004 art. 27 (二) 越权操作; params.refusals: false ignores refusals).",
  triggers: ['gov.approval.step.completed', 'gov.approval.case.returned', 'gov.platform.security.recorded'],
  defaults: { refusals: true },
  evaluate(ctx) {
    const d = ctx.event.data as Record<string, unknown>;
    if (ctx.event.type === 'gov.platform.security.recorded') {
      if (!ctx.params.refusals || d.category !== 'authorisation-refusal' || !str(d.actor)) return [];
      const details = (d.details ?? {}) as Record<string, unknown>;
      return [
        {
          key: `refused:${ctx.event.id}`,
          officer: str(d.actor),
          orgCode: ctx.kase?.departmentCode ?? null,
          evidence: { kind: 'refused', service: d.service, action: d.action, actor: d.actor, actorLabel: d.actorLabel, target: d.target, code: details.code, method: details.method, reason: details.reason, at: d.at },
        },
      ];
    }
    const actorGroups = strings(d.actorGroups);
    const candidates = strings(d.candidateGroups).length > 0 ? strings(d.candidateGroups) : (ctx.steps.find((s) => s.stepId === d.stepId)?.candidateGroups ?? []);
    if (actorGroups.length === 0 || candidates.length === 0 || actorGroups.some((g) => candidates.includes(g))) return [];
    const candidateOrgs = new Set(candidates.map(orgOf));
    const inOrg = actorGroups.some((g) => candidateOrgs.has(orgOf(g)));
    const officer = str(d.assignee) ?? str(d.by);
    const stepId = str(d.taskId) ?? str(d.stepId);
    const finding: Finding = {
      key: `actor:${ctx.event.id}`,
      stepId,
      officer,
      orgCode: ctx.kase?.departmentCode ?? [...candidateOrgs][0] ?? null,
      evidence: {
        kind: inOrg ? 'role' : 'organisation',
        event: ctx.event.type,
        officer,
        actorGroups,
        candidateGroups: candidates,
        missingRoles: inOrg ? [...new Set(candidates.map(roleOf))] : undefined,
      },
    };
    return [finding];
  },
};

/**
 * Issue 9 §5 ("a failure raises an incident, which supervision sees"): the engine raised an incident on a case (a
 * system step whose worker kept failing, retries exhausted), as approval's incident watcher reports it. The case is
 * stuck at that step until someone resolves the incident; the anomaly goes to the case's department (the office sees
 * every department) once per incident id, whichever approval reported it, and `gov.approval.incident.resolved` closes
 * it (a second stream entry, level `resolved`, naming the alert it closes).
 */
export const engineIncident: AnomalyRule = {
  name: 'engine-incident',
  version: 1,
  description: 'The process engine raised an incident on a case (a failing system step, retries exhausted; gov.approval.incident.raised): the case is stuck until it is resolved, which closes the anomaly (issue 9 §5).',
  triggers: ['gov.approval.incident.raised'],
  defaults: {},
  evaluate(ctx) {
    const d = ctx.event.data as Record<string, unknown>;
    return [{ key: incidentKey(String(d.incidentId)), orgCode: ctx.kase?.departmentCode ?? null, evidence: incidentEvidence(d) }];
  },
};

/** The finding key of an engine incident (one anomaly per incident id). */
export const incidentKey = (incidentId: string): string => `incident:${incidentId}`;

export function incidentEvidence(d: Record<string, unknown>): Record<string, unknown> {
  return {
    incidentId: d.incidentId,
    incidentType: d.incidentType,
    activityId: d.activityId,
    processInstanceId: d.processInstanceId,
    processDefinitionId: d.processDefinitionId,
    tenantId: d.tenantId,
    message: d.message,
    incidentAt: d.incidentAt,
    detectedAt: d.detectedAt,
  };
}

/** A case number inside a refused request's path (`/cases/<case number>/...`), if it names one. */
export function caseNumberIn(target: string | null | undefined): string | null {
  for (const part of (target ?? '').split(/[/?&=]/)) if (CaseNumber.safeParse(part).success) return part;
  return null;
}

/** Every anomaly rule over case events, by name. (Dead letters are raised by the dead-letter watcher, rule `dead-letter`.) */
export const ANOMALY_RULES: readonly AnomalyRule[] = [
  jointReviewIncomplete,
  stepSkipped,
  acceptanceLate,
  feeMismatch,
  changedAfterDecision,
  separationOfDuties,
  tooManyReturns,
  suspensionOverrun,
  publicityLate,
  unauthorisedAction,
  engineIncident,
];
