import { INGESTION_SOURCE_PREFIX } from '../ingestion/record-to-event';
import type { CaseFact, DeadlineRule, RuleContext } from './rule';

// Deadline rules (issue 10, round three): anomalies that are an action not taken by a deadline.

const HOUR = 3600 * 1000;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const ACCEPTANCES = ['gov.intake.application.accepted', 'gov.intake.application.accepted-with-missing', 'gov.intake.application.deemed-accepted'] as const;
const isNativeAcceptance = (f: CaseFact): boolean => (ACCEPTANCES as readonly string[]).includes(f.type) && !(f.source ?? '').startsWith(INGESTION_SOURCE_PREFIX);

/**
 * 容缺受理 and 告知承诺制 (seed 003: 先予审批后定期报送纸质申报材料): materials promised at acceptance by a deadline.
 * The deadline passing with neither the materials received (complete) nor the case terminated (the consequence intake
 * owes, gov.intake.application.terminated) is an anomaly: the commitment lapsed and nobody acted.
 */
export const deferredMaterialsMissed: DeadlineRule<{ graceHours: number }> = {
  name: 'deferred-materials-missed',
  version: 1,
  description:
    'Materials promised at a 容缺/告知承诺 acceptance not received by their deadline, and the case neither terminated nor ended params.graceHours (24) after it (seed 003 告知承诺制; seed 004 art. 27 (一)).',
  starts: ['gov.intake.application.accepted-with-missing'],
  meets: ['gov.intake.application.deferred-materials-received', 'gov.intake.application.terminated', 'gov.approval.case.ended', 'gov.intake.application.withdrawn'],
  defaults: { graceHours: 24 },
  start(ctx) {
    const d = ctx.event.data as Record<string, unknown>;
    const deadline = str(d.deferredDeadline);
    if (!deadline) return [];
    return [{ key: 'deferred', dueAt: new Date(new Date(deadline).getTime() + ctx.params.graceHours * HOUR), orgCode: str(d.departmentCode), evidence: { deferredDeadline: deadline, missing: d.missing, commitment: d.commitment, graceHours: ctx.params.graceHours } }];
  },
  meet(ctx) {
    if (ctx.event.type === 'gov.intake.application.deferred-materials-received' && (ctx.event.data as Record<string, unknown>).complete !== true) return [];
    return ['deferred'];
  },
};

/**
 * Seed 002 (实时监控, 全程监督) and seed 004 art. 27 (三): a case a department's own system reports (ingestion) that
 * was never accepted on the platform (体外循环): no native acceptance for its case number and matter within
 * params.graceHours of the first ingested record.
 */
export const ingestedWithoutApplication: DeadlineRule<{ graceHours: number }> = {
  name: 'ingested-without-application',
  version: 1,
  description: "A case reported by a department's own system (ingestion) with no acceptance of the same case number and matter on the platform params.graceHours (72) after its first record (seed 002 实时监控; seed 004 art. 27 (三)).",
  starts: ['gov.intake.application.accepted', 'gov.approval.step.opened', 'gov.approval.step.completed', 'gov.approval.case.decided'],
  meets: ['gov.intake.application.accepted', 'gov.intake.application.accepted-with-missing', 'gov.intake.application.deemed-accepted'],
  defaults: { graceHours: 72 },
  start(ctx) {
    const system = ctx.event.source.startsWith(INGESTION_SOURCE_PREFIX) ? ctx.event.source.slice(INGESTION_SOURCE_PREFIX.length) : null;
    if (system === null || ctx.facts.some(isNativeAcceptance)) return [];
    const d = ctx.event.data as Record<string, unknown>;
    const matterCode = str(d.matterCode) ?? ctx.kase?.matterCode ?? null;
    return [{ key: 'native-application', dueAt: new Date(new Date(ctx.event.time).getTime() + ctx.params.graceHours * HOUR), orgCode: ctx.kase?.departmentCode ?? str(d.departmentCode), evidence: { system, matterCode, firstRecord: { type: ctx.event.type, eventId: ctx.event.id, at: ctx.event.time }, graceHours: ctx.params.graceHours } }];
  },
  meet(ctx) {
    if (ctx.event.source.startsWith(INGESTION_SOURCE_PREFIX)) return [];
    // the same matter as the ingested records, when they named one
    const ingested = ctx.facts.find((f) => (f.source ?? '').startsWith(INGESTION_SOURCE_PREFIX) && str(f.data.matterCode))?.data.matterCode;
    const matter = str((ctx.event.data as Record<string, unknown>).matterCode);
    return ingested && matter && ingested !== matter ? [] : ['native-application'];
  },
};

/** Seed 001 text 3 art. 21: a decision (准予 or 不予) made public (公示) within 5 days; none after params.maxWorkingDays. */
export const decisionUnpublished: DeadlineRule<{ maxWorkingDays: number }> = {
  name: 'decision-unpublished',
  version: 2,
  description: "A decision (an approval or a refusal) not made public (intake's gov.intake.publicity.published, or gov.approval.decision.published) within params.maxWorkingDays (5) working days of being issued (seed 001 text 3 art. 21: 5日内公示).",
  starts: ['gov.approval.case.decided'],
  meets: ['gov.intake.publicity.published', 'gov.approval.decision.published'],
  defaults: { maxWorkingDays: 5 },
  start(ctx) {
    const d = ctx.event.data as Record<string, unknown>;
    // Art. 21 publishes approvals and refusals; a filing receipt (备案) or a later revocation is not among its cases.
    if (d.decision !== 'approved' && d.decision !== 'rejected') return [];
    const decidedAt = new Date(d.decidedAt as string);
    const due = ctx.calendar.deadlineWithCoverage(decidedAt, ctx.params.maxWorkingDays).deadline;
    return [{ key: 'publicity', dueAt: due, orgCode: ctx.kase?.departmentCode ?? null, evidence: { decidedAt: decidedAt.toISOString(), decision: d.decision, documentNumber: d.documentNumber, maxWorkingDays: ctx.params.maxWorkingDays, publishBy: due.toISOString() } }];
  },
  meet: () => ['publicity'],
};

/** A suspension (暂停计算) still running after the working days the office stated when it began. */
export const suspensionStillOpen: DeadlineRule = {
  name: 'suspension-still-open',
  version: 1,
  description: 'A suspension still running after the working days stated when it began (statedWorkingDays): raised while it lasts, not only when it ends (suspension-overrun).',
  starts: ['gov.approval.step.suspended'],
  meets: ['gov.approval.step.resumed'],
  defaults: {},
  start(ctx) {
    const d = ctx.event.data as Record<string, unknown>;
    if (typeof d.statedWorkingDays !== 'number') return [];
    const due = ctx.calendar.deadlineWithCoverage(new Date(d.suspendedAt as string), d.statedWorkingDays).deadline;
    return [{ key: `suspension:${String(d.suspensionId)}`, dueAt: due, orgCode: ctx.kase?.departmentCode ?? null, evidence: { suspensionId: d.suspensionId, stepId: d.stepId, reason: d.reason, statedWorkingDays: d.statedWorkingDays, suspendedAt: d.suspendedAt, expectedEnd: due.toISOString() } }];
  },
  meet: (ctx: RuleContext<Record<string, unknown>>) => [`suspension:${String((ctx.event.data as Record<string, unknown>).suspensionId)}`],
};

/** The notification-commitment flow's verification step (bpmn/notification-commitment.bpmn: opens when the period ends). */
export const VERIFICATION_STEP = 'Verification';

/**
 * 告知承诺制 (seed 003 三(三): "对于一般性项目,可按照告知承诺制的要求,先予审批后定期报送纸质申报材料核对归档"; issue 10: "a 容缺
 * or notification-commitment deadline missed with no action"). The approval was given on the applicant's commitment,
 * so the verification (核对) is owed: it falls due at the decision's `verificationDueAt` (decision + the flow's
 * verificationPeriod, when the Verification step opens) and must be done within that step's limit. The anomaly: no
 * Verification step of the case completed by the end of its limit counted from `verificationDueAt` (working days: the
 * case's `stepLimits` entry for the step, else params.verificationLimitWorkingDays, the model's 20) plus
 * params.graceHours, and the case not ended (withdrawn, terminated) meanwhile. Raised once per case. Unlike the step's
 * own red light it also fires when the step never opened (the timer or the instance went wrong, the flow was changed).
 */
export const commitmentVerificationMissed: DeadlineRule<{ verificationLimitWorkingDays: number; graceHours: number }> = {
  name: 'commitment-verification-missed',
  version: 1,
  description:
    "An approval on a notification commitment (告知承诺制) whose verification (the Verification step) was not completed within the step's limit (the case's stepLimits, else params.verificationLimitWorkingDays, 20 working days) after the decision's verificationDueAt, plus params.graceHours (0), the case not ended meanwhile (seed 003 先予审批后定期报送纸质申报材料核对; issue 10).",
  starts: ['gov.approval.case.decided'],
  meets: ['gov.approval.step.completed', 'gov.approval.case.ended', 'gov.intake.application.withdrawn'],
  defaults: { verificationLimitWorkingDays: 20, graceHours: 0 },
  start(ctx) {
    const d = ctx.event.data as Record<string, unknown>;
    const dueAt = str(d.verificationDueAt);
    if (!dueAt || d.decision !== 'approved') return [];
    const fromCase = ctx.facts
      .filter((f) => (ACCEPTANCES as readonly string[]).includes(f.type))
      .flatMap((f) => (Array.isArray(f.data.stepLimits) ? (f.data.stepLimits as { step?: unknown; workingDays?: unknown }[]) : []))
      .find((l) => l.step === VERIFICATION_STEP && typeof l.workingDays === 'number');
    const limit = typeof fromCase?.workingDays === 'number' ? fromCase.workingDays : ctx.params.verificationLimitWorkingDays;
    const verifyBy = ctx.calendar.deadlineWithCoverage(new Date(dueAt), limit).deadline;
    return [
      {
        key: 'verification',
        dueAt: new Date(verifyBy.getTime() + ctx.params.graceHours * HOUR),
        orgCode: ctx.kase?.departmentCode ?? null,
        evidence: { decidedAt: d.decidedAt, documentNumber: d.documentNumber, verificationDueAt: dueAt, verificationLimitWorkingDays: limit, limitFrom: fromCase ? 'case' : 'rule', verifyBy: verifyBy.toISOString(), graceHours: ctx.params.graceHours },
      },
    ];
  },
  meet(ctx) {
    if (ctx.event.type !== 'gov.approval.step.completed') return ['verification'];
    return (ctx.event.data as Record<string, unknown>).taskDefinitionKey === VERIFICATION_STEP ? ['verification'] : [];
  },
};

/** Every deadline rule, by name (set per bureau at PUT /anomaly-rules/:rule/settings/:orgCode like the event rules). */
export const DEADLINE_RULES: readonly DeadlineRule[] = [deferredMaterialsMissed, ingestedWithoutApplication, decisionUnpublished, suspensionStillOpen, commitmentVerificationMissed];
