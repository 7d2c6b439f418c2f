/** External-task topics that flows may use; each has a registered TypeScript worker (checked by the BPMN lint). */
export const WORKER_TOPICS = {
  issueDecision: 'issue-decision',
  /** Issues the payment request (缴费通知书) of an approved case with a fee, before the flow waits for payment. */
  requestPayment: 'request-payment',
} as const;

export const ALL_WORKER_TOPICS: readonly string[] = Object.values(WORKER_TOPICS);
