/** Kafka topics, named <domain>.<entity>.v<major> and keyed by case number so one case's events stay in order. */
export interface TopicSpec {
  name: string;
  partitions: number;
  retentionMs: number;
  description: string;
}

const DAY = 24 * 60 * 60 * 1000;

export const TOPICS = {
  intakeApplication: {
    name: 'intake.application.v1',
    partitions: 6,
    retentionMs: 30 * DAY,
    description: 'Applications accepted, corrected, withdrawn at intake (受理).',
  },
  intakeNotice: {
    name: 'intake.notice.v1',
    partitions: 6,
    retentionMs: 365 * DAY,
    description: 'Sealed notices issued to applicants (接件凭证, 受理通知书, 不予受理通知书, 补正告知, 容缺受理, 准予撤回, and the decision documents 准予/不予许可决定书 and licences), the notifications sent about them, licences issued into the licence store and decisions published (公示).',
  },
  approvalStep: {
    name: 'approval.step.v1',
    partitions: 6,
    retentionMs: 30 * DAY,
    description: 'Every user-task step of a case opened, completed or cancelled in the engine.',
  },
  approvalProcess: {
    name: 'approval.process.v1',
    partitions: 6,
    retentionMs: 30 * DAY,
    description: 'Process instances started and ended in the engine.',
  },
  approvalCase: {
    name: 'approval.case.v1',
    partitions: 6,
    retentionMs: 30 * DAY,
    description: 'Case-level outcomes published by the approval service (case started, decision issued), and the engine incidents it watches (raised, resolved).',
  },
  supervisionAlert: {
    name: 'supervision.alert.v1',
    partitions: 3,
    retentionMs: 365 * DAY,
    description: 'Alerts raised by e-supervision (电子监察): yellow warnings and red overdue lights.',
  },
  platformAudit: {
    name: 'platform.audit.v1',
    partitions: 3,
    retentionMs: 365 * DAY,
    description: "Security events of every service (authentication failures, authorisation refusals, administrative changes, personal-data exports), appended by identity to the platform's chained audit trail. Keyed by service.",
  },
  ledgerAnchor: {
    name: 'platform.ledger-anchor.v1',
    partitions: 1,
    retentionMs: 3650 * DAY,
    description: 'Signed heads of every hash-chained ledger (audit, opinions, alerts, ...), so a rewrite of a whole chain is detected. Keyed by ledger.',
  },
  // --- intake consultation (issue 8 §5; wt/consult) ---
  intakeConsultation: {
    name: 'intake.consultation.v1',
    partitions: 3,
    retentionMs: 365 * DAY,
    description: 'Consultations (咨询) asked about a matter, answered by its department, and gone overdue unanswered, so e-supervision sees unanswered ones. Keyed by consultation id.',
  },
  // --- end intake consultation ---
  // --- e-supervision feedback (issue 10 §6: complaints and service ratings; wt/supstats) ---
  supervisionFeedback: {
    name: 'supervision.feedback.v1',
    partitions: 3,
    retentionMs: 365 * DAY,
    description: 'Complaints (投诉举报) filed and advanced through their flow, and service ratings (好差评) given, for the statistics. Keyed by case number, or by complaint id when a complaint names no case.',
  },
  // --- end e-supervision feedback ---
  deadLetter: {
    name: 'platform.deadletter.v1',
    partitions: 3,
    retentionMs: 90 * DAY,
    description: 'Messages a consumer could not process (malformed or repeatedly failing), with the reason in headers.',
  },
} as const satisfies Record<string, TopicSpec>;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS]['name'];
export const ALL_TOPICS: TopicSpec[] = Object.values(TOPICS);
