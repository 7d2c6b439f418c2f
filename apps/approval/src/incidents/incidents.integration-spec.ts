import { randomBytes, randomUUID } from 'node:crypto';
import { STACK, eventually, externalTaskFlow } from '@gov/testing';
import { CamundaClient } from '@gov/workflow';
import { type TestApproval, startTestApproval } from '../testing/test-app';
import { IncidentWatcher } from './incident-watcher';

// Issue 9 §5: "Workers are idempotent … A failure raises an incident, which supervision sees." A tiny flow with one
// external task is failed through the engine's REST with no retries left (as a worker that keeps throwing ends), so
// the engine raises an incident; approval's watcher reports it once per database, and its resolution once.
// The stack's approval may watch the same engine: this approval watches only the test flow's key (its own database
// dedupes by incident id, whoever else reports the incident).

const engine = new CamundaClient({ baseUrl: STACK.engineUrl });
const suffix = randomBytes(4).toString('hex');
const key = `incident-test-${suffix}`;
const topic = `incident-test-${suffix}`;
const bpmn = externalTaskFlow({ processId: key, topic, activityId: 'IssueDecision', name: '作出决定' });

async function rest(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${STACK.engineUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

let seq = Math.floor(Math.random() * 1e6);
const TENANT = '449900';

/** Starts a case of the tiny flow and fails its external task with no retries left: the engine raises an incident. */
async function failingCase(message = 'document service unavailable'): Promise<{ caseNumber: string; processInstanceId: string; externalTaskId: string; incidentId: string }> {
  const caseNumber = `${TENANT}-20261203-${String(++seq).padStart(9, '0')}`;
  const instance = await engine.startByKey(key, { businessKey: caseNumber, tenantId: TENANT, variables: { caseNumber } });
  const workerId = `incident-test-${randomUUID()}`;
  // (by business key: fetchAndLock's topic filter has no processInstanceId, and a task of an earlier case whose retries
  // were set again is fetchable on the same topic)
  const tasks = await eventually('the external task locked', async () => {
    const locked = (await rest('POST', '/external-task/fetchAndLock', { workerId, maxTasks: 1, topics: [{ topicName: topic, lockDuration: 60_000, businessKey: caseNumber }] })) as { id: string }[];
    return locked.length > 0 ? locked : undefined;
  });
  await rest('POST', `/external-task/${tasks[0].id}/failure`, { workerId, errorMessage: message, errorDetails: 'stack trace', retries: 0, retryTimeout: 0 });
  const [incident] = await engine.incidents({ processInstanceId: instance.id });
  if (!incident) throw new Error('the engine raised no incident');
  return { caseNumber, processInstanceId: instance.id, externalTaskId: tasks[0].id, incidentId: incident.id };
}

describe('engine incidents reported to supervision (issue 9 §5)', () => {
  let t: TestApproval;
  let deploymentId: string;
  let watcher: IncidentWatcher;

  beforeAll(async () => {
    deploymentId = (await engine.deploy({ name: key, source: 'approval-tests', tenantId: TENANT, files: [{ name: `${key}.bpmn`, content: bpmn }] })).id;
    // the watcher's own timer stays off: the test runs its rounds
    t = await startTestApproval({ INCIDENT_WATCH: 'false', INCIDENT_PROCESS_KEYS: key, WORKLIST_CONSUMER: 'false', WORKLIST_RECONCILE: 'false' });
    watcher = t.app.get(IncidentWatcher);
  });
  afterAll(async () => {
    await t?.close();
    await engine.deleteDeployment(deploymentId, true).catch(() => undefined);
  });

  const events = (incidentId: string) =>
    t.ownerQuery<{ type: string; key: string; published_at: Date | null; payload: { subject: string; tenantid?: string; data: Record<string, unknown> } }>(
      `SELECT type, key, published_at, payload FROM outbox WHERE type LIKE 'gov.approval.incident.%' AND payload->'data'->>'incidentId' = $1 ORDER BY seq`,
      [incidentId],
    );

  it('reports a failed external task once, with its case, activity, tenant and message, even when rounds run at once', async () => {
    // given an external task failed with no retries left
    const c = await failingCase('x'.repeat(1500));
    // when two rounds run concurrently, then a third
    const [a, b] = await Promise.all([watcher.pollOnce(), watcher.pollOnce()]);
    const third = await watcher.pollOnce();
    // then exactly one raised event, relayed to Kafka, and one row
    expect(a.raised + b.raised).toBe(1);
    expect(third).toEqual({ raised: 0, resolved: 0 });
    const raised = await events(c.incidentId);
    expect(raised).toEqual([
      expect.objectContaining({
        type: 'gov.approval.incident.raised',
        key: c.caseNumber,
        payload: expect.objectContaining({
          subject: c.caseNumber,
          data: expect.objectContaining({
            incidentId: c.incidentId,
            incidentType: 'failedExternalTask',
            activityId: 'IssueDecision',
            processInstanceId: c.processInstanceId,
            caseNumber: c.caseNumber,
            tenantId: TENANT,
            // the engine keeps 666 characters of a failure's message; approval's own cut is at 1000
            message: expect.stringMatching(/^x{600,1000}$/),
          }),
        }),
      }),
    ]);
    await eventually('the raised event relayed to Kafka', async () => (await events(c.incidentId))[0]?.published_at);
    expect(await t.ownerQuery(`SELECT case_number, resolved_at FROM engine_incidents WHERE incident_id = $1`, [c.incidentId])).toEqual([{ case_number: c.caseNumber, resolved_at: null }]);
  });

  it('reports an incident resolved once when its retries are set again, and one deleted with its instance', async () => {
    // given two reported incidents
    const retried = await failingCase();
    const deleted = await failingCase();
    await watcher.pollOnce();
    // when one task gets its retries back (the incident is resolved) and the other case's instance is deleted
    await rest('PUT', `/external-task/${retried.externalTaskId}/retries`, { retries: 1 });
    await engine.deleteProcessInstance(deleted.processInstanceId, 'test: case withdrawn');
    const round = await watcher.pollOnce();
    const again = await watcher.pollOnce();
    // then each is reported no longer open, once
    expect(round.resolved).toBe(2);
    expect(again.resolved).toBe(0);
    expect((await events(retried.incidentId)).map((e) => [e.type, e.payload.data.resolution ?? null])).toEqual([
      ['gov.approval.incident.raised', null],
      ['gov.approval.incident.resolved', 'resolved'],
    ]);
    expect((await events(deleted.incidentId)).map((e) => [e.type, e.payload.data.resolution ?? null])).toEqual([
      ['gov.approval.incident.raised', null],
      ['gov.approval.incident.resolved', 'deleted'],
    ]);
    const [resolvedEvent] = (await events(retried.incidentId)).slice(1);
    expect(resolvedEvent.payload.data).toEqual(expect.objectContaining({ caseNumber: retried.caseNumber, activityId: 'IssueDecision', resolvedAt: expect.any(String) }));
  });

  it('reports nothing for a flow it does not watch', async () => {
    // given an approval watching another process key
    const other = await startTestApproval({ INCIDENT_WATCH: 'false', INCIDENT_PROCESS_KEYS: `not-${key}`, WORKLIST_CONSUMER: 'false', WORKLIST_RECONCILE: 'false' });
    try {
      await failingCase();
      // when it runs a round
      const round = await other.app.get(IncidentWatcher).pollOnce();
      // then
      expect(round).toEqual({ raised: 0, resolved: 0 });
      expect(await other.ownerQuery(`SELECT 1 FROM engine_incidents`)).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
