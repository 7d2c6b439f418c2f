import { randomUUID } from 'node:crypto';
import { STACK, eventually, externalTaskFlow, sql } from '@gov/testing';

// Issue 9 §5: "A failure raises an incident, which supervision sees." Through the whole stack: an external task that
// fails with no retries left becomes an engine incident; the stack's approval reports it (gov.approval.incident.raised)
// and supervision's alert stream shows it as an `engine-incident` anomaly, then closes it when the incident is resolved.

const KEY = `e2e-incident-${randomUUID().slice(0, 8)}`;
const TOPIC = `e2e-incident-${randomUUID().slice(0, 8)}`;
const BUSINESS_KEY = `e2e-${KEY}`;
const FLOW = externalTaskFlow({ processId: KEY, topic: TOPIC, activityId: 'Issue', name: '出具文书' });

async function engine<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${STACK.engineUrl}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`engine ${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

interface StreamRow {
  level: string;
  rule: string;
  evidence: Record<string, unknown>;
}

describe('engine incidents reach supervision', () => {
  let deploymentId: string | undefined;

  afterAll(async () => {
    if (deploymentId) await engine('DELETE', `/deployment/${deploymentId}?cascade=true`).catch(() => undefined);
  });

  it('shows a failed external task as an engine-incident anomaly, and closes it once the incident is resolved', async () => {
    // given a flow whose external task is fetched and failed with no retries left
    const form = new FormData();
    form.set('deployment-name', KEY);
    form.set('deployment-source', 'stack-e2e');
    form.set(`${KEY}.bpmn`, new Blob([FLOW], { type: 'application/octet-stream' }), `${KEY}.bpmn`);
    const res = await fetch(`${STACK.engineUrl}/deployment/create`, { method: 'POST', body: form });
    deploymentId = ((await res.json()) as { id: string }).id;
    const instance = await engine<{ id: string }>('POST', `/process-definition/key/${KEY}/start`, { businessKey: BUSINESS_KEY });
    const [task] = await eventually('the external task', async () => {
      const fetched = await engine<Array<{ id: string }>>('POST', '/external-task/fetchAndLock', { workerId: 'e2e-incidents', maxTasks: 1, topics: [{ topicName: TOPIC, lockDuration: 60_000 }] });
      return fetched.length > 0 ? fetched : undefined;
    });
    await engine('POST', `/external-task/${task.id}/failure`, { workerId: 'e2e-incidents', errorMessage: 'e2e: the document service is down', retries: 0, retryTimeout: 0 });
    // when approval's watcher reports it (the stack polls every few seconds) and supervision consumes the event
    const raisedRows = () => sql<StreamRow>('supervision', `SELECT level, rule, evidence FROM alert_stream WHERE rule = 'engine-incident' AND evidence->>'processInstanceId' = $1 ORDER BY seq`, [instance.id]);
    const [raised] = await eventually('the engine-incident anomaly', async () => {
      const rows = await raisedRows();
      return rows.length > 0 ? rows : undefined;
    }, 90_000, 500);
    // then it names the incident, the failing activity and the message, platform-wide (the business key is no case number)
    expect(raised).toMatchObject({ rule: 'engine-incident', evidence: expect.objectContaining({ activityId: 'Issue', businessKey: BUSINESS_KEY }) });
    expect(JSON.stringify(raised.evidence)).toContain('the document service is down');
    // when the operator gives the task its retries back (the incident is resolved)
    await engine('PUT', `/external-task/${task.id}/retries`, { retries: 1 });
    // then the anomaly is closed by a second entry of the same incident, once
    const incidentId = String(raised.evidence.incidentId);
    const ofIncident = () => sql<StreamRow>('supervision', `SELECT level, rule, evidence FROM alert_stream WHERE rule = 'engine-incident' AND evidence->>'incidentId' = $1 ORDER BY seq`, [incidentId]);
    const closed = await eventually('the anomaly closed', async () => {
      const rows = await ofIncident();
      return rows.length >= 2 ? rows : undefined;
    }, 90_000, 500);
    expect(closed.map((r) => r.level)).toEqual([raised.level, 'resolved']);
  });
});
