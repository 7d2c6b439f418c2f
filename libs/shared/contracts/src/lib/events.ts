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
});

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

export const CaseDecided = z.object({
  caseNumber: CaseNumber,
  processInstanceId: z.string().min(1),
  decision: z.enum(['approved', 'rejected']),
  documentNumber: z.string().min(1),
  decidedAt: IsoTime,
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

/** Every event type the platform publishes: its topic and the schema of its `data`. */
export const EVENT_TYPES = {
  'gov.intake.application.accepted': { topic: TOPICS.intakeApplication.name, data: ApplicationAccepted, summary: 'An application was accepted (受理) and given a case number.' },
  'gov.approval.step.opened': { topic: TOPICS.approvalStep.name, data: StepEventData, summary: 'A user-task step opened in the engine.' },
  'gov.approval.step.completed': { topic: TOPICS.approvalStep.name, data: StepEventData, summary: 'A user-task step was completed.' },
  'gov.approval.step.cancelled': { topic: TOPICS.approvalStep.name, data: StepEventData, summary: 'A user-task step was cancelled (deleted) without completion.' },
  'gov.approval.process.started': { topic: TOPICS.approvalProcess.name, data: ProcessEventData, summary: 'A process instance started.' },
  'gov.approval.process.ended': { topic: TOPICS.approvalProcess.name, data: ProcessEventData, summary: 'A process instance ended.' },
  'gov.approval.case.started': { topic: TOPICS.approvalCase.name, data: CaseStarted, summary: 'The approval service started a case on the engine.' },
  'gov.approval.case.decided': { topic: TOPICS.approvalCase.name, data: CaseDecided, summary: 'A decision (准予/不予) was issued for a case.' },
  'gov.supervision.alert.raised': { topic: TOPICS.supervisionAlert.name, data: AlertRaised, summary: 'A deadline light changed to yellow or red.' },
  // e-supervision feedback (wt/supstats)
  'gov.supervision.complaint.filed': { topic: TOPICS.supervisionFeedback.name, data: ComplaintFiled, summary: 'A complaint (投诉举报) was registered about a case, an officer or a department.' },
  'gov.supervision.complaint.advanced': { topic: TOPICS.supervisionFeedback.name, data: ComplaintAdvanced, summary: 'A complaint reached its next stage (assigned, investigating, concluded, replied).' },
  'gov.supervision.rating.submitted': { topic: TOPICS.supervisionFeedback.name, data: RatingSubmitted, summary: 'An applicant rated a decided case or its rectification (好差评, five grades).' },
  'gov.platform.security.recorded': { topic: TOPICS.platformAudit.name, data: SecurityEventRecorded, summary: 'A security event of some service, for the platform audit trail.' },
  'gov.platform.ledger.anchored': { topic: TOPICS.ledgerAnchor.name, data: LedgerAnchored, summary: "A hash chain's head was signed by identity and published." },
} as const;

export type EventType = keyof typeof EVENT_TYPES;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_TYPES)[T]['data']>;
export type ApplicationAcceptedData = z.infer<typeof ApplicationAccepted>;
export type StepEvent = z.infer<typeof StepEventData>;
export type ProcessEvent = z.infer<typeof ProcessEventData>;
export type CaseDecidedData = z.infer<typeof CaseDecided>;
export type AlertRaisedData = z.infer<typeof AlertRaised>;
export type SecurityEventData = z.infer<typeof SecurityEventRecorded>;
export type LedgerAnchoredData = z.infer<typeof LedgerAnchored>;
export type ComplaintFiledData = z.infer<typeof ComplaintFiled>;
export type RatingSubmittedData = z.infer<typeof RatingSubmitted>;

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPES, type);
}
