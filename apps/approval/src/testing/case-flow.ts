import { InboxContext, type EventOf } from '@gov/messaging';
import { eventually } from '@gov/testing';
import type { CamundaAdminClient, ExternalTask } from '@gov/workflow';
import { DataSource } from 'typeorm';
import { START_CASE_CONSUMER, StartCaseConsumer } from '../cases/start-case.controller';
import { IssueDecisionWorker } from '../decisions/issue-decision.worker';
import type { TestApproval } from './test-app';

// Driving a case through a test approval as the stack would: the accepted event through the start-case consumer, and
// the flow's decision step worked by the decision worker on the test flow's own topic (the stack's workers never see it).

/** Hands an accepted event to the start-case consumer in a transaction, as the inbox does, then runs its after-commit work. */
export async function acceptThroughConsumer(t: TestApproval, event: EventOf<'gov.intake.application.accepted'>): Promise<void> {
  const consumer = t.app.get(StartCaseConsumer, { strict: false });
  const work: (() => Promise<void>)[] = [];
  await t.app.get(DataSource).transaction((manager) => consumer.accepted(event, new InboxContext(manager, START_CASE_CONSUMER, (w) => work.push(w))));
  for (const w of work) await w();
}

/** Works the instance's decision step (external task on `topic`) with the decision worker, as `workerId`. */
export async function issueDecisionOnTopic(t: TestApproval, engine: CamundaAdminClient, topic: string, workerId: string, processInstanceId: string): Promise<{ decision: string; documentNumber: string }> {
  for (const job of await engine.jobs({ processInstanceId })) await engine.executeJob(job.id).catch(() => undefined);
  const raw = await eventually('the issue-decision task', async () => (await engine.fetchAndLock({ workerId, maxTasks: 10, topics: [{ topicName: topic, lockDuration: 30_000 }] })).find((x) => x.processInstanceId === processInstanceId), 30_000, 200);
  const task: ExternalTask = {
    id: raw.id,
    topic,
    processInstanceId: raw.processInstanceId,
    businessKey: raw.businessKey ?? null,
    tenantId: raw.tenantId ?? null,
    activityId: raw.activityId,
    retries: null,
    variables: Object.fromEntries(Object.entries(raw.variables ?? {}).map(([k, v]) => [k, v?.value])),
  };
  const result = await t.app.get(IssueDecisionWorker).handle(task);
  await engine.completeExternalTask(raw.id, workerId, result);
  return result;
}
