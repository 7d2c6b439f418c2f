import { z } from 'zod';
import { CaseNumber } from './envelope';
import { TOPICS } from './topics';

const IsoTime = z.string().datetime({ offset: true });
const Nullable = <T extends z.ZodType>(t: T) => t.nullable();

export const ApplicantRef = z.object({
  kind: z.enum(['person', 'legal-entity']),
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
} as const;

export type EventType = keyof typeof EVENT_TYPES;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_TYPES)[T]['data']>;
export type ApplicationAcceptedData = z.infer<typeof ApplicationAccepted>;
export type StepEvent = z.infer<typeof StepEventData>;
export type ProcessEvent = z.infer<typeof ProcessEventData>;
export type CaseDecidedData = z.infer<typeof CaseDecided>;
export type AlertRaisedData = z.infer<typeof AlertRaised>;

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPES, type);
}
