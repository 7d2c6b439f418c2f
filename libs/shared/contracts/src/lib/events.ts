import { z } from 'zod';
import { APPLICANT_KINDS } from './applicant-kind';
import { CaseNumber } from './envelope';
import { TOPICS } from './topics';

const IsoTime = z.string().datetime({ offset: true });
const Nullable = <T extends z.ZodType>(t: T) => t.nullable();

export const ApplicantRef = z.object({
  kind: z.enum(APPLICANT_KINDS),
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
});

/** A catalogue fee as carried to approval: `amountFen` null for a fee whose amount depends on the case (e.g. 按面积). */
export const CatalogueFee = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  name: z.string().min(1).max(200),
  standard: z.string().min(1).max(500),
  amountFen: z.number().int().nonnegative().nullable(),
  basis: z.string().min(1).max(500),
  payment: z.string().min(1).max(200),
});

export const ApplicationAccepted = z.object({
  caseNumber: CaseNumber,
  applicationId: z.string().uuid(),
  matterCode: z.string().min(1),
  matterName: z.string().min(1),
  processKey: z.string().min(1),
  departmentCode: z.string().min(1),
  tenantId: z.string().min(1),
  applicant: ApplicantRef,
  acceptedAt: IsoTime,
  timeLimitWorkingDays: z.number().int().positive(),
  form: z.record(z.string(), z.unknown()),
  // --- added for e-supervision clocks (wt/supclock); optional so producers can adopt them in their own time ---
  /** The promised limit (承诺时限) in working days, from the matter version; the statutory one is `timeLimitWorkingDays`. */
  promisedLimitWorkingDays: z.number().int().positive().optional(),
  /** When the application was submitted (acceptance later than 5 working days after it is an anomaly). */
  submittedAt: IsoTime.optional(),
  /** When the application was received (接件); acceptance is decided within the window from then. */
  receivedAt: IsoTime.optional(),
  /** The window clerk who accepted; null for deemed acceptance (no officer). */
  acceptedBy: Nullable(z.string()).optional(),
  /** How it was accepted: by the window, with materials missing (容缺受理), or deemed (视为受理, seed 001 text 10). */
  mode: z.enum(['window', 'with-missing', 'deemed']).optional(),
  /** The matter version the case runs under. */
  matterVersion: z.number().int().positive().optional(),
  /** End of the promised limit (承诺期限), counted in working days from acceptance. */
  promisedDeadline: IsoTime.optional(),
  /** The joint-window application (联合受理, seed 003) this case is one department's part of. */
  jointWindow: z.object({ caseNumber: CaseNumber, applicationId: z.string().uuid(), matterCode: z.string().min(1) }).optional(),
  /**
   * The matter version's per-step limits (working days) by BPMN user-task id: approval sets each as the process
   * variable that task names in `timeLimitVariable`, so step deadlines follow the catalogue, not the model's default.
   */
  stepLimits: z
    .array(z.object({ step: z.string().min(1).max(64), name: z.string().min(1).max(100), workingDays: z.number().int().positive() }))
    .max(100)
    .optional(),
  /**
   * (wt/fees) The matter version's catalogue fees (收费项目), each with a code unique in the version (F1, F2 ... in
   * catalogue order): the handler's fee determination (核定收费, seed 001 text 3 art. 13) is checked against them.
   */
  fees: z.array(CatalogueFee).max(50).optional(),
  /**
   * 上报件 (seed 003): the higher-level department that reviews and signs off this lower-level case, from the matter
   * version (`reportsTo`); absent for every other matter. Approval sets `cityTenantId` and `cityDepartmentCode` from it.
   */
  reportsTo: z
    .object({
      level: z.enum(['city', 'county', 'township']),
      tenantId: z.string().min(1).max(64),
      departmentCode: z.string().min(1).max(64),
      departmentName: z.string().min(1).max(200),
    })
    .optional(),
  /**
   * 并联审批 / 会签 (seed 003): the departments that review the case at once beside the handling (lead) department, in
   * the catalogue's order, from the matter version (`coReviewers`); absent for a matter without any. Approval sets the
   * joint-review flow's `coDepartments` and `coDepartmentCount` from it, and their officers work and see the case.
   */
  coReviewers: z
    .array(z.object({ departmentCode: z.string().min(1).max(64), departmentName: z.string().min(1).max(200) }))
    .min(1)
    .max(20)
    .optional(),
});

// ---- intake: the acceptance regime (issue 8, sections 3 and 6; seed 001 text 3 art. 10-11, text 10) ----

/** What every intake application event names: the application and who handles it. */
const ApplicationRefData = z.object({
  caseNumber: CaseNumber,
  applicationId: z.string().uuid(),
  matterCode: z.string().min(1),
  departmentCode: z.string().min(1),
  tenantId: z.string().min(1),
});

/** A material slot named in a receipt, a correction notice or a 容缺 notice. */
export const MaterialItem = z.object({ key: z.string().min(1).max(64), name: z.string().min(1).max(200) });

export const ApplicationReceived = ApplicationRefData.extend({
  matterName: z.string().min(1),
  matterVersion: z.number().int().positive(),
  applicant: ApplicantRef,
  /** online: the applicant through the portal; window: a clerk registered it on the applicant's behalf. */
  channel: z.enum(['online', 'window']),
  /** The clerk who registered a window application (and checked the applicant's identity); null online. */
  registeredBy: Nullable(z.string()),
  receivedAt: IsoTime,
  /** The window decides by then, or the application counts as accepted from `receivedAt` (seed 001 text 10). */
  acceptanceDueAt: IsoTime,
  /** The receipt's list of materials received (接件凭证). */
  materials: z.array(MaterialItem),
});

export const CorrectionRequested = ApplicationRefData.extend({
  /** Every missing or defective item at once (一次性告知). */
  items: z.array(z.object({ material: Nullable(z.string().max(64)), problem: z.string().min(1).max(1000) })).min(1),
  deadline: IsoTime,
  requestedBy: z.string().min(1),
  requestedAt: IsoTime,
});

export const ApplicationCorrected = ApplicationRefData.extend({
  correctedAt: IsoTime,
  /** Acceptance is decided anew within the window from the correction. */
  acceptanceDueAt: IsoTime,
  materials: z.array(MaterialItem),
});

export const ApplicationAcceptedWithMissing = ApplicationAccepted.extend({
  /** Materials promised for later (only those the matter marks as deferrable). */
  missing: z.array(MaterialItem).min(1),
  /** Never later than the promised limit; missing it ends the case. */
  deferredDeadline: IsoTime,
  commitment: z.object({ signedBy: z.string().min(1).max(200), signedAt: IsoTime, text: z.string().min(1).max(2000) }),
});

export const ApplicationRefused = ApplicationRefData.extend({
  /** not-eligible: refused by the window; correction-not-made: the correction deadline passed (art. 10 (3)). */
  grounds: z.enum(['not-eligible', 'correction-not-made']),
  reason: z.string().min(1).max(2000),
  /** The applicant's remedies (行政复议 / 行政诉讼), as printed on the 不予受理通知书. */
  remedies: z.string().min(1).max(2000),
  /** null when refused automatically on a missed correction deadline. */
  refusedBy: Nullable(z.string()),
  refusedAt: IsoTime,
});

export const ApplicationWithdrawn = ApplicationRefData.extend({
  reason: z.string().min(1).max(2000),
  requestedAt: IsoTime,
  withdrawnAt: IsoTime,
  /** The window clerk who accepted the withdrawal. */
  acceptedBy: z.string().min(1),
  /** Whether a case was running (accepted): approval then ends it and issues 准予撤回. */
  wasAccepted: z.boolean(),
});

/** A 容缺 commitment not kept: the deferred materials did not arrive by the deadline, and the case ends. */
export const ApplicationTerminated = ApplicationRefData.extend({
  reason: z.string().min(1).max(2000),
  missing: z.array(MaterialItem),
  terminatedAt: IsoTime,
});

/** The materials of an accepted application are frozen: no replacement or addition (seed 001 text 3, art. 11). */
export const MaterialsFrozen = ApplicationRefData.extend({ frozenAt: IsoTime });

// ---- intake: consultation (咨询; issue 8 §5; wt/consult) ----

/** What every consultation event names: the question, the matter and the department that owes the answer. */
const ConsultationRefData = z.object({
  consultationId: z.string().uuid(),
  matterCode: z.string().min(1),
  departmentCode: z.string().min(1),
  tenantId: z.string().min(1),
  /** The asker's own application the question is about, if they named one. */
  caseNumber: Nullable(CaseNumber),
  askedAt: IsoTime,
  /** When the department's answer is due (working days from the calendar). */
  dueAt: IsoTime,
});

/** A question was asked about a matter, by a signed-in applicant or anonymously with a contact. */
export const ConsultationAsked = ConsultationRefData.extend({ asker: z.enum(['applicant', 'anonymous']) });

/** The department answered; `late` when after `dueAt`. */
export const ConsultationAnswered = ConsultationRefData.extend({ answeredAt: IsoTime, answeredBy: z.string().min(1), late: z.boolean(), public: z.boolean() });

/** The due time passed with no answer (emitted once per consultation). */
export const ConsultationOverdue = ConsultationRefData.extend({ overdueAt: IsoTime });

export const StepEventData = z.object({
  processInstanceId: z.string().min(1),
  processDefinitionId: z.string().min(1),
  processDefinitionKey: z.string().min(1),
  businessKey: Nullable(z.string()),
  taskId: z.string().min(1),
  taskDefinitionKey: z.string().min(1),
  name: Nullable(z.string()),
  candidateGroups: z.array(z.string()),
  assignee: Nullable(z.string()),
  timeLimitWorkingDays: Nullable(z.number().nonnegative()),
  openedAt: IsoTime,
  completedAt: Nullable(IsoTime),
  deleteReason: Nullable(z.string()),
  tenantId: Nullable(z.string()),
  /** (wt/supervision) The groups (`role:org`) of the officer who completed the step, when the producer knows them. */
  actorGroups: z.array(z.string()).optional(),
});

export const ProcessEventData = z.object({
  processInstanceId: z.string().min(1),
  processDefinitionId: z.string().min(1),
  processDefinitionKey: z.string().min(1),
  businessKey: Nullable(z.string()),
  startedAt: IsoTime,
  endedAt: Nullable(IsoTime),
  deleteReason: Nullable(z.string()),
  tenantId: Nullable(z.string()),
});

export const CaseStarted = z.object({
  caseNumber: CaseNumber,
  processInstanceId: z.string().min(1),
  processKey: z.string().min(1),
  tenantId: z.string().min(1),
  startedAt: IsoTime,
});

/** What `gov.approval.case.decided` can announce (issue 9 §1/§3). */
export const CASE_DECISIONS = ['approved', 'rejected', 'filed', 'revoked'] as const;
export type CaseDecisionKind = (typeof CASE_DECISIONS)[number];

export const CaseDecided = z.object({
  caseNumber: CaseNumber,
  processInstanceId: z.string().min(1),
  /**
   * 准予 / 不予许可, a filing receipt (备案回执, filing.bpmn) or the revocation of an earlier approval (撤销许可决定,
   * notification-commitment.bpmn: a false commitment). A withdrawal (准予撤回) is never a decided event: whichever way
   * it arrives (intake's window or the flow's `withdrawal` message) it is `gov.approval.case.ended`.
   */
  decision: z.enum(CASE_DECISIONS),
  documentNumber: z.string().min(1),
  decidedAt: IsoTime,
  /** The flow variable `refusalReason` when the flow set it (e.g. `fee-unpaid`: the fee was not paid in time). */
  refusalReason: z.string().max(200).optional(),
  /** A revocation: the number of the decision it revokes (printed on the 撤销行政许可决定书; the licence it issued is revoked). */
  revokesDocumentNumber: z.string().min(1).optional(),
  /** A revocation: the record against the applicant (the flow's `creditRecord`, set at RecordFalseCommitment), printed on the decision. */
  creditRecord: z.string().min(1).max(500).optional(),
  /** A notification-commitment approval: when the commitment's verification is due (decision + the flow's `verificationPeriod`, default P30D). */
  verificationDueAt: IsoTime.optional(),
  // --- decision documents, licences and publicity (issue 9 §3, wt/documents): optional, for intake's documents ---
  /** Why the application was refused (不予许可, seed 001 text 3 art. 15-16, 20: reasons and basis); printed on the 不予许可决定书. */
  reasons: z.array(z.string().min(1).max(1000)).max(50).optional(),
  /** The legal basis of the decision, as printed. */
  legalBasis: z.string().min(1).max(1000).optional(),
  /** The organisation that decided (its department seals the documents); intake uses the case's handling organisation when absent. */
  decidingDepartmentCode: z.string().min(1).max(64).optional(),
  /** The officer who signed the decision (签发). */
  decidedBy: z.object({ id: z.string().min(1).max(200), name: z.string().min(1).max(200) }).optional(),
  /** The licensed scope (许可范围) printed on the licence; intake falls back to the application form's `businessScope`. */
  licenceScope: z.string().min(1).max(1000).optional(),
  /** A 上报件: when the higher authority's approval (批文) came down; art. 21 (三) counts publicity from then. */
  higherApprovalAt: IsoTime.optional(),
  // --- end decision documents ---
});

/** A case ended without a decision on the merits: withdrawn (准予撤回, art. 11) or terminated (容缺 commitment missed). */
export const CaseEnded = z.object({
  caseNumber: CaseNumber,
  processInstanceId: Nullable(z.string()),
  outcome: z.enum(['withdrawn', 'terminated']),
  /** The 准予撤回 / 终止 document's number. */
  documentNumber: z.string().min(1),
  reason: z.string().min(1).max(2000),
  endedAt: IsoTime,
});

export const AlertRaised = z.object({
  alertId: z.string().uuid(),
  level: z.enum(['yellow', 'red']),
  caseNumber: z.string().min(1),
  stepId: z.string().min(1),
  taskDefinitionKey: z.string().min(1),
  stepName: Nullable(z.string()),
  candidateGroups: z.array(z.string()),
  openedAt: IsoTime,
  deadline: IsoTime,
  raisedAt: IsoTime,
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

/** A security event of some service, for the platform audit trail (issue: hardening round one). */
export const SecurityEventRecorded = z.object({
  /** The service where it happened: identity, intake, approval, supervision, exchange. */
  service: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/),
  category: z.enum(['authentication-failure', 'authorisation-refusal', 'administrative-change', 'personal-data-export']),
  /** What was attempted, e.g. `authz.refused`, `auth.token-invalid`, `matter.publish`, `applications.export`. */
  action: z.string().min(1).max(100),
  outcome: z.enum(['succeeded', 'refused', 'failed']),
  actor: Nullable(z.string().max(200)),
  actorLabel: Nullable(z.string().max(200)),
  /** The object acted on: a path, a case number, a user id. */
  target: Nullable(z.string().max(500)),
  ip: Nullable(z.string().max(64)),
  /** The error code and reason of a refusal, the HTTP method and status, counts of a batch. */
  details: z.record(z.string(), z.unknown()),
  at: IsoTime,
});

/** The signed head of one hash chain: `ledger`/`partition` at `seq` ends with `hash`. */
export const LedgerAnchored = z.object({
  /** The ledger, e.g. `identity.audit`, `approval.opinions`, `supervision.alerts`. */
  ledger: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/),
  /** The chain within the ledger (a case number, a tenant); `*` when the ledger is one chain. */
  partition: z.string().min(1).max(200),
  seq: z.string().regex(/^\d{1,18}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  anchoredAt: IsoTime,
  /** A compact JWS (ES256, typ ledger-anchor+jws) over the fields above, by identity's anchoring key; its x5c chains to the platform CA. */
  signature: z.string().min(1),
});

/** The notices intake issues (seed 001 text 3 art. 10-11, text 10; decision documents and the licence: art. 19-20, wt/documents). */
export const NOTICE_KINDS = ['receipt', 'acceptance', 'refusal', 'correction', 'acceptance-with-missing', 'withdrawal', 'approval-decision', 'refusal-decision', 'licence', 'filing-receipt', 'revocation-decision', 'payment-notice'] as const;
export type NoticeKindName = (typeof NOTICE_KINDS)[number];

/** A notice was rendered as a PDF, sealed with its department's electronic seal in identity, and can be verified there. */
export const NoticeIssued = z.object({
  noticeId: z.string().uuid(),
  kind: z.enum(NOTICE_KINDS),
  /** 文号 printed on the notice. */
  documentNumber: z.string().min(1).max(64),
  /** The code identity's public verification answers for: GET /verify/documents/{code}. */
  verificationCode: z.string().min(1).max(64),
  caseNumber: z.string().min(1),
  applicationId: z.string().uuid(),
  departmentCode: z.string().min(1),
  /** The organisation whose seal is on the notice. */
  sealOrgCode: z.string().min(1),
  sealSerial: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  issuedAt: IsoTime,
  sealedAt: IsoTime,
});

export const NOTIFICATION_CHANNELS = ['mail-drop', 'email', 'sms'] as const;
export type NotificationChannelName = (typeof NOTIFICATION_CHANNELS)[number];

/** A notification about a notice or a decision was delivered on one channel (once per notice and channel). No address. */
export const NotificationSent = z.object({
  notificationId: z.string().uuid(),
  /** The notice it carries; null for a notification without one (a decision issued by approval). */
  noticeId: Nullable(z.string().uuid()),
  caseNumber: z.string().min(1),
  channel: z.enum(NOTIFICATION_CHANNELS),
  /** Why it was sent: the notice kind or `decision`. */
  reason: z.string().min(1).max(40),
  sentAt: IsoTime,
});

// ---------------------------------------------------------------------------------------------------------------
// E-supervision clocks, rules and the alert stream (issue 10, wt/supclock).
// Producer-side events supervision's rules need, defined here under their producers' names until the producers
// publish them (suspensions, returns, joint review and fees), and supervision's own alert stream.
// ---------------------------------------------------------------------------------------------------------------

/** A case's clock stopped (暂停计算: correction, hearing, expert review ...), for the whole case or one step. */
export const StepSuspended = z.object({
  caseNumber: CaseNumber,
  suspensionId: z.string().min(1).max(100),
  stepId: Nullable(z.string().min(1)),
  reason: z.string().min(1).max(500),
  /** The duration the office stated when it suspended, in working days (exceeding it is an anomaly). */
  statedWorkingDays: Nullable(z.number().int().positive()),
  suspendedAt: IsoTime,
});

/** A suspension ended: the clock runs again and the deadlines move by the suspended working days. */
export const StepResumed = z.object({
  caseNumber: CaseNumber,
  suspensionId: z.string().min(1).max(100),
  resumedAt: IsoTime,
});

/** A case was sent back (退回) to an earlier step or to the applicant. */
export const CaseReturned = z.object({
  caseNumber: CaseNumber,
  stepId: Nullable(z.string().min(1)),
  by: Nullable(z.string().max(200)),
  reason: z.string().min(1).max(500),
  returnedAt: IsoTime,
  /** (wt/supervision) The groups (`role:org`) of the officer who returned it, and the step's candidate groups, when known. */
  actorGroups: z.array(z.string()).optional(),
  candidateGroups: z.array(z.string()).optional(),
});

/** A joint review (并联审批/会签) asked these departments for opinions before the decision. */
export const JointReviewRequested = z.object({
  caseNumber: CaseNumber,
  reviewId: z.string().min(1).max(100),
  departments: z.array(z.string().min(1)).min(1),
  requestedAt: IsoTime,
});

/** One department's opinion in a joint review. */
export const JointReviewOpinionRecorded = z.object({
  caseNumber: CaseNumber,
  reviewId: z.string().min(1).max(100),
  departmentCode: z.string().min(1),
  opinion: z.enum(['agree', 'disagree', 'conditional']),
  recordedAt: IsoTime,
});

/** A fee assessed on a case, with the amount the matter's catalogue entry sets (in fen). */
export const FeeAssessed = z.object({
  caseNumber: CaseNumber,
  matterCode: z.string().min(1),
  itemCode: z.string().min(1).max(100),
  amountFen: z.number().int().nonnegative(),
  catalogueAmountFen: z.number().int().nonnegative(),
  assessedAt: IsoTime,
});

/** A decision made public (公示/公开) on the government website. */
export const DecisionPublished = z.object({
  caseNumber: CaseNumber,
  documentNumber: z.string().min(1),
  publishedAt: IsoTime,
});

/**
 * One entry of the supervision office's alert stream (also served over SSE with `seq` as the event id): a light, an
 * anomaly, a supervision order or its escalation, a tally flag, a dead-lettered message or a calendar warning.
 */
export const SupervisionAlertIssued = z.object({
  alertId: z.string().uuid(),
  seq: z.string().regex(/^\d{1,18}$/),
  kind: z.enum(['light', 'anomaly', 'supervision-order', 'escalation', 'tally-flag', 'dead-letter', 'calendar']),
  /** yellow/red for lights; warning for anomalies and orders; the tally consequence for flags. */
  level: z.string().min(1).max(64),
  /** The rule that raised it (e.g. `light.red`, `separation-of-duties`) and its version. */
  rule: z.string().min(1).max(100),
  ruleVersion: z.number().int().positive(),
  caseNumber: Nullable(z.string()),
  stepId: Nullable(z.string()),
  officer: Nullable(z.string()),
  /** The organisation it concerns (jurisdiction filtering uses it). */
  orgCode: Nullable(z.string()),
  evidence: z.record(z.string(), z.unknown()),
  raisedAt: IsoTime,
});
// --- e-supervision feedback (issue 10 §6: complaints and service ratings; wt/supstats) ---

/** A complaint (投诉举报, seed 004 art. 12) was registered, about a case, an officer or a department. */
export const ComplaintFiled = z.object({
  complaintId: z.string().uuid(),
  subjectKind: z.enum(['case', 'officer', 'department']),
  caseNumber: Nullable(CaseNumber),
  officerId: Nullable(z.string().min(1).max(100)),
  /** The department complained about (or handling the case), when known. */
  departmentCode: Nullable(z.string().min(1).max(64)),
  filedAt: IsoTime,
});

/** A complaint moved to its next stage (assigned, investigating, concluded, replied). */
export const ComplaintAdvanced = z.object({
  complaintId: z.string().uuid(),
  stage: z.enum(['assigned', 'investigating', 'concluded', 'replied']),
  departmentCode: Nullable(z.string().min(1).max(64)),
  caseNumber: Nullable(CaseNumber),
  /** When the stage was reached, and its deadline (working days from the calendar). */
  at: IsoTime,
  deadline: Nullable(IsoTime),
  /** For 'concluded': whether the complaint was found substantiated. */
  substantiated: Nullable(z.boolean()),
});

/** A service rating (好差评, 国办发〔2019〕51号): five grades, 1 = 非常不满意 … 5 = 非常满意; 1-2 are bad ratings. */
export const RatingSubmitted = z.object({
  ratingId: z.string().uuid(),
  caseNumber: CaseNumber,
  /** 'service' rates the case; 'rectification' rates the rectification of an earlier bad rating. */
  kind: z.enum(['service', 'rectification']),
  grade: z.number().int().min(1).max(5),
  indicatorSet: z.string().min(1).max(64),
  ratedAt: IsoTime,
});
// --- end e-supervision feedback ---

// --- e-supervision round three (wt/supervision): case lights and what the new anomaly rules read ---

/** A case's statutory (法定) or promised (承诺) deadline light turned yellow or red; once per case, clock and level. */
export const CaseLightRaised = z.object({
  alertId: z.string().uuid(),
  level: z.enum(['yellow', 'red']),
  clock: z.enum(['statutory', 'promised']),
  caseNumber: z.string().min(1),
  departmentCode: Nullable(z.string()),
  tenantId: Nullable(z.string()),
  acceptedAt: IsoTime,
  limitWorkingDays: z.number().int().positive(),
  deadline: IsoTime,
  raisedAt: IsoTime,
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

/** 容缺 materials promised at acceptance were received by the window (complete: every deferred slot is now met). */
export const DeferredMaterialsReceived = ApplicationRefData.extend({
  materials: z.array(MaterialItem).min(1),
  complete: z.boolean(),
  receivedAt: IsoTime,
});
// --- end wt/supervision ---

// --- decision documents, licences and publicity (issue 9 §3, wt/documents) ---

/** The four cases of seed 001 text 3 art. 21 a decided case is published under. */
export const PUBLICITY_CASES = ['licence-issued', 'approved', 'higher-approved', 'refused'] as const;
export type PublicityCaseName = (typeof PUBLICITY_CASES)[number];

/** A decided case appeared on intake's public feed (公示, art. 21), within 5 days of what that article counts from. */
export const PublicityPublished = z.object({
  caseNumber: CaseNumber,
  matterCode: z.string().min(1),
  departmentCode: z.string().min(1),
  publicityCase: z.enum(PUBLICITY_CASES),
  decision: z.enum(['approved', 'rejected']),
  documentNumber: z.string().min(1),
  decidedAt: IsoTime,
  /** What art. 21 counts the 5 days from: the licence's issue, the approval, the higher authority's approval, the refusal. */
  countsFrom: IsoTime,
  /** The last moment the law allows (countsFrom + 5 days); supervision flags a publication after it. */
  dueBy: IsoTime,
  publishedAt: IsoTime,
});

/** A licence (电子证照) was issued into intake's licence store (证照批文共享). No personal ID number. */
export const LicenceIssued = z.object({
  licenceNumber: z.string().min(1).max(64),
  licenceType: z.string().min(1).max(200),
  caseNumber: CaseNumber,
  matterCode: z.string().min(1),
  departmentCode: z.string().min(1),
  validFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  validTo: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  issuedAt: IsoTime,
});

/** A licence in intake's store was revoked: by a revocation decision (撤销许可决定) or by hand by its issuing department. */
export const LicenceRevoked = z.object({
  licenceNumber: z.string().min(1).max(64),
  caseNumber: CaseNumber,
  matterCode: z.string().min(1),
  departmentCode: z.string().min(1),
  reason: z.string().min(1).max(1000),
  legalBasis: z.string().min(1).max(1000).optional(),
  /** The revocation decision's number when a decision revoked it; absent when an officer revoked it by hand. */
  revocationDocumentNumber: z.string().min(1).optional(),
  /** `decision` (gov.approval.case.decided revoked) or `officer` (POST /licences/:licenceNumber/revocation). */
  revokedBy: z.enum(['decision', 'officer']),
  revokedAt: IsoTime,
});
// --- end decision documents ---

// --- engine incidents (issue 9 §5: "a failure raises an incident, which supervision sees"; wt/incidents) ---

/** What approval's incident watcher read of a Camunda incident (GET /incident), the process instance's business key included. */
const EngineIncidentData = z.object({
  incidentId: z.string().min(1).max(64),
  /** The engine's incident type, e.g. `failedExternalTask`, `failedJob`. */
  incidentType: z.string().min(1).max(100),
  /** The activity the incident is at (for a failed external task, the service task). */
  activityId: Nullable(z.string().min(1).max(255)),
  processInstanceId: Nullable(z.string().min(1).max(64)),
  processDefinitionId: Nullable(z.string().min(1).max(255)),
  /** The process instance's business key: the case number for the platform's flows. */
  caseNumber: Nullable(z.string().min(1).max(255)),
  tenantId: Nullable(z.string().min(1).max(64)),
  /** The incident's message (the worker's error), truncated to 1000 characters. */
  message: Nullable(z.string().max(1000)),
  /** When the engine raised the incident. */
  incidentAt: IsoTime,
});

/** An engine incident approval saw for the first time (once per incident id per approval database). */
export const EngineIncidentRaised = EngineIncidentData.extend({ detectedAt: IsoTime });

/** An engine incident that is no longer open: resolved (retries set again, the task then went on) or deleted with its instance. */
export const EngineIncidentResolved = EngineIncidentData.extend({
  resolution: z.enum(['resolved', 'deleted']),
  resolvedAt: IsoTime,
});
// --- end engine incidents ---

// --- fees (issue 9 §3 "Fees", wt/fees; seed 001 text 3 art. 13, 19 (二), 20) ---

/** One fee item the handler determined, with the catalogue's fixed amount (null for a fee whose amount varies). */
export const DeterminedFee = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  name: z.string().min(1).max(200),
  amountFen: z.number().int().nonnegative(),
  catalogueAmountFen: Nullable(z.number().int().nonnegative()),
  basis: z.string().min(1).max(500),
  payment: z.string().min(1).max(200),
});

/** The handler's fee determination (核定收费) at their review step: every item, checked against the catalogue. */
export const FeeDetermined = z.object({
  caseNumber: CaseNumber,
  matterCode: z.string().min(1),
  stepId: z.string().min(1).max(64),
  /** The handler (user id) and their label. */
  determinedBy: z.string().min(1).max(200),
  items: z.array(DeterminedFee).max(50),
  totalFen: z.number().int().nonnegative(),
  /** The payment period the handler set, in days, when not the flow's default. */
  paymentDays: Nullable(z.number().int().positive()),
  determinedAt: IsoTime,
});

/** The flow reached payment (准予 with a fee due): a 缴费通知书 is to be issued with the amount, items and deadline. */
export const PaymentRequested = z.object({
  caseNumber: CaseNumber,
  processInstanceId: z.string().min(1),
  matterCode: z.string().min(1),
  departmentCode: z.string().min(1),
  items: z.array(DeterminedFee).min(1).max(50),
  totalFen: z.number().int().positive(),
  /** The payment period (ISO-8601 duration) and the deadline it gives; unpaid by then, the case is refused (art. 20). */
  period: z.string().min(2).max(40),
  deadline: IsoTime,
  requestedAt: IsoTime,
});

/** A payment was confirmed (the window's confirmation; a payment gateway later) and handed to the flow. */
export const FeePaid = z.object({
  caseNumber: CaseNumber,
  paymentId: z.string().uuid(),
  amountFen: z.number().int().positive(),
  channel: z.enum(['window', 'gateway']),
  /** The receipt (票据号) or the gateway's transaction reference. */
  reference: z.string().min(1).max(100),
  confirmedBy: Nullable(z.string().min(1).max(200)),
  paidAt: IsoTime,
});
// --- end fees ---

/** Every event type the platform publishes: its topic and the schema of its `data`. */
export const EVENT_TYPES = {
  'gov.intake.application.accepted': { topic: TOPICS.intakeApplication.name, data: ApplicationAccepted, summary: 'An application was accepted (受理) and given a case number.' },
  'gov.intake.notice.issued': { topic: TOPICS.intakeNotice.name, data: NoticeIssued, summary: 'A notice was issued to the applicant as a sealed PDF, verifiable through identity.' },
  'gov.intake.notification.sent': { topic: TOPICS.intakeNotice.name, data: NotificationSent, summary: 'A notification was delivered to the applicant on one channel.' },
  'gov.intake.application.received': { topic: TOPICS.intakeApplication.name, data: ApplicationReceived, summary: 'An application was received (接件) and a receipt issued; the window decides on acceptance within the window period.' },
  'gov.intake.application.correction-requested': { topic: TOPICS.intakeApplication.name, data: CorrectionRequested, summary: 'The window asked for every missing or defective item at once (一次性告知补正), with a deadline.' },
  'gov.intake.application.corrected': { topic: TOPICS.intakeApplication.name, data: ApplicationCorrected, summary: 'The applicant corrected the application; acceptance is decided anew.' },
  'gov.intake.application.accepted-with-missing': { topic: TOPICS.intakeApplication.name, data: ApplicationAcceptedWithMissing, summary: 'Accepted with deferrable materials missing (容缺受理) on a signed commitment; the case starts.' },
  'gov.intake.application.deemed-accepted': { topic: TOPICS.intakeApplication.name, data: ApplicationAccepted, summary: 'The window did not decide in time: accepted as of the day of receipt (视为受理), automatically; the case starts.' },
  'gov.intake.application.refused': { topic: TOPICS.intakeApplication.name, data: ApplicationRefused, summary: 'Not accepted (不予受理): refused by the window, or the correction deadline passed.' },
  'gov.intake.application.withdrawn': { topic: TOPICS.intakeApplication.name, data: ApplicationWithdrawn, summary: 'The window accepted the applicant\'s withdrawal; a running case ends with a 准予撤回 decision.' },
  'gov.intake.application.terminated': { topic: TOPICS.intakeApplication.name, data: ApplicationTerminated, summary: 'A 容缺 commitment was not kept by its deadline; the case ends.' },
  'gov.intake.application.materials-frozen': { topic: TOPICS.intakeApplication.name, data: MaterialsFrozen, summary: 'The application was accepted: its materials can no longer be replaced or added to.' },
  'gov.intake.consultation.asked': { topic: TOPICS.intakeConsultation.name, data: ConsultationAsked, summary: 'A question (咨询) was asked about a matter; the department owes an answer by dueAt.' },
  'gov.intake.consultation.answered': { topic: TOPICS.intakeConsultation.name, data: ConsultationAnswered, summary: "The matter's department answered a consultation (late when after dueAt)." },
  'gov.intake.consultation.overdue': { topic: TOPICS.intakeConsultation.name, data: ConsultationOverdue, summary: 'A consultation passed its due time unanswered (emitted once).' },
  'gov.approval.step.opened': { topic: TOPICS.approvalStep.name, data: StepEventData, summary: 'A user-task step opened in the engine.' },
  'gov.approval.step.completed': { topic: TOPICS.approvalStep.name, data: StepEventData, summary: 'A user-task step was completed.' },
  'gov.approval.step.cancelled': { topic: TOPICS.approvalStep.name, data: StepEventData, summary: 'A user-task step was cancelled (deleted) without completion.' },
  'gov.approval.process.started': { topic: TOPICS.approvalProcess.name, data: ProcessEventData, summary: 'A process instance started.' },
  'gov.approval.process.ended': { topic: TOPICS.approvalProcess.name, data: ProcessEventData, summary: 'A process instance ended.' },
  'gov.approval.case.started': { topic: TOPICS.approvalCase.name, data: CaseStarted, summary: 'The approval service started a case on the engine.' },
  'gov.approval.case.decided': { topic: TOPICS.approvalCase.name, data: CaseDecided, summary: 'A decision was issued for a case: 准予/不予许可, a filing receipt (备案回执) or the revocation of an approval (撤销许可决定).' },
  'gov.approval.case.ended': { topic: TOPICS.approvalCase.name, data: CaseEnded, summary: 'A case ended without a decision on the merits: withdrawn (准予撤回) or terminated; its process instance was cancelled.' },
  'gov.supervision.alert.raised': { topic: TOPICS.supervisionAlert.name, data: AlertRaised, summary: 'A deadline light changed to yellow or red.' },
  // e-supervision feedback (wt/supstats)
  'gov.supervision.complaint.filed': { topic: TOPICS.supervisionFeedback.name, data: ComplaintFiled, summary: 'A complaint (投诉举报) was registered about a case, an officer or a department.' },
  'gov.supervision.complaint.advanced': { topic: TOPICS.supervisionFeedback.name, data: ComplaintAdvanced, summary: 'A complaint reached its next stage (assigned, investigating, concluded, replied).' },
  'gov.supervision.rating.submitted': { topic: TOPICS.supervisionFeedback.name, data: RatingSubmitted, summary: 'An applicant rated a decided case or its rectification (好差评, five grades).' },
  'gov.platform.security.recorded': { topic: TOPICS.platformAudit.name, data: SecurityEventRecorded, summary: 'A security event of some service, for the platform audit trail.' },
  'gov.platform.ledger.anchored': { topic: TOPICS.ledgerAnchor.name, data: LedgerAnchored, summary: "A hash chain's head was signed by identity and published." },
  // --- e-supervision clocks, rules and alert stream (wt/supclock) ---
  'gov.approval.step.suspended': { topic: TOPICS.approvalStep.name, data: StepSuspended, summary: "A case's (or step's) clock stopped (暂停计算)." },
  'gov.approval.step.resumed': { topic: TOPICS.approvalStep.name, data: StepResumed, summary: 'A suspension ended; the deadlines move by the suspended working days.' },
  'gov.approval.case.returned': { topic: TOPICS.approvalCase.name, data: CaseReturned, summary: 'A case was sent back (退回).' },
  'gov.approval.joint-review.requested': { topic: TOPICS.approvalCase.name, data: JointReviewRequested, summary: 'A joint review asked departments for opinions.' },
  'gov.approval.joint-review.opinion-recorded': { topic: TOPICS.approvalCase.name, data: JointReviewOpinionRecorded, summary: "A department's joint-review opinion was recorded." },
  'gov.approval.decision.published': { topic: TOPICS.approvalCase.name, data: DecisionPublished, summary: 'A decision was made public (公示).' },
  'gov.intake.fee.assessed': { topic: TOPICS.intakeApplication.name, data: FeeAssessed, summary: 'A fee was assessed on a case (with the catalogue amount).' },
  // --- decision documents, licences and publicity (wt/documents) ---
  'gov.intake.publicity.published': { topic: TOPICS.intakeNotice.name, data: PublicityPublished, summary: 'A decided case was published on the public feed (公示, seed 001 text 3 art. 21), with the deadline the law sets.' },
  'gov.intake.licence.issued': { topic: TOPICS.intakeNotice.name, data: LicenceIssued, summary: 'A licence (电子证照) was issued, sealed and stored in the licence store (证照批文共享).' },
  'gov.intake.licence.revoked': { topic: TOPICS.intakeNotice.name, data: LicenceRevoked, summary: 'A licence in the licence store was revoked (by a revocation decision, or by its issuing department with a reason and legal basis); it can no longer be reused.' },
  // --- end decision documents ---
  // --- engine incidents (wt/incidents) ---
  'gov.approval.incident.raised': { topic: TOPICS.approvalCase.name, data: EngineIncidentRaised, summary: 'The engine raised an incident (a failing external task or job, retries exhausted); approval reports each incident once.' },
  'gov.approval.incident.resolved': { topic: TOPICS.approvalCase.name, data: EngineIncidentResolved, summary: 'An engine incident approval reported is no longer open (resolved, or deleted with its process instance).' },
  // --- end engine incidents ---

  // --- fees (wt/fees) ---
  'gov.approval.fee.determined': { topic: TOPICS.approvalCase.name, data: FeeDetermined, summary: "The handler determined the case's fees (核定收费) against the matter's catalogue fees." },
  'gov.approval.fee.payment-requested': { topic: TOPICS.approvalCase.name, data: PaymentRequested, summary: 'A fee is due on an approved case: a 缴费通知书 is issued with amount, items and deadline.' },
  'gov.approval.fee.paid': { topic: TOPICS.approvalCase.name, data: FeePaid, summary: "A case's fee was paid (confirmed at the window) and the flow goes on to the decision." },
  // --- end fees ---
  'gov.supervision.alert.issued': { topic: TOPICS.supervisionAlert.name, data: SupervisionAlertIssued, summary: "An entry of the supervision office's alert stream (light, anomaly, order, escalation, tally flag, dead letter)." },
  // --- e-supervision round three (wt/supervision) ---
  'gov.supervision.case-light.raised': { topic: TOPICS.supervisionAlert.name, data: CaseLightRaised, summary: "A case's statutory or promised deadline light changed to yellow or red." },
  'gov.intake.application.deferred-materials-received': { topic: TOPICS.intakeApplication.name, data: DeferredMaterialsReceived, summary: '容缺 materials promised at acceptance were received (complete when every deferred slot is met).' },
} as const;

export type EventType = keyof typeof EVENT_TYPES;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_TYPES)[T]['data']>;
export type ApplicationAcceptedData = z.infer<typeof ApplicationAccepted>;
export type ApplicationReceivedData = z.infer<typeof ApplicationReceived>;
export type CorrectionRequestedData = z.infer<typeof CorrectionRequested>;
export type ApplicationCorrectedData = z.infer<typeof ApplicationCorrected>;
export type ApplicationAcceptedWithMissingData = z.infer<typeof ApplicationAcceptedWithMissing>;
export type ApplicationRefusedData = z.infer<typeof ApplicationRefused>;
export type ApplicationWithdrawnData = z.infer<typeof ApplicationWithdrawn>;
export type ApplicationTerminatedData = z.infer<typeof ApplicationTerminated>;
export type MaterialsFrozenData = z.infer<typeof MaterialsFrozen>;
export type CaseEndedData = z.infer<typeof CaseEnded>;
export type StepEvent = z.infer<typeof StepEventData>;
export type ProcessEvent = z.infer<typeof ProcessEventData>;
export type CaseDecidedData = z.infer<typeof CaseDecided>;
export type StepSuspendedData = z.infer<typeof StepSuspended>;
export type StepResumedData = z.infer<typeof StepResumed>;
export type AlertRaisedData = z.infer<typeof AlertRaised>;
export type SecurityEventData = z.infer<typeof SecurityEventRecorded>;
export type NoticeIssuedData = z.infer<typeof NoticeIssued>;
export type NotificationSentData = z.infer<typeof NotificationSent>;
export type LedgerAnchoredData = z.infer<typeof LedgerAnchored>;
export type SupervisionAlertIssuedData = z.infer<typeof SupervisionAlertIssued>;
export type ComplaintFiledData = z.infer<typeof ComplaintFiled>;
export type RatingSubmittedData = z.infer<typeof RatingSubmitted>;
export type CaseLightRaisedData = z.infer<typeof CaseLightRaised>;
export type PublicityPublishedData = z.infer<typeof PublicityPublished>;
export type LicenceIssuedData = z.infer<typeof LicenceIssued>;
export type EngineIncidentRaisedData = z.infer<typeof EngineIncidentRaised>;
export type EngineIncidentResolvedData = z.infer<typeof EngineIncidentResolved>;

export type CatalogueFeeData = z.infer<typeof CatalogueFee>;
export type DeterminedFeeData = z.infer<typeof DeterminedFee>;
export type FeeDeterminedData = z.infer<typeof FeeDetermined>;
export type PaymentRequestedData = z.infer<typeof PaymentRequested>;
export type FeePaidData = z.infer<typeof FeePaid>;

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPES, type);
}
