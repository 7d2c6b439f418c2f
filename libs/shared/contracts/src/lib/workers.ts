/** External-task topics that flows may use; each has a registered TypeScript worker (checked by the BPMN lint). */
export const WORKER_TOPICS = {
  issueDecision: 'issue-decision',
} as const;

export const ALL_WORKER_TOPICS: readonly string[] = Object.values(WORKER_TOPICS);
