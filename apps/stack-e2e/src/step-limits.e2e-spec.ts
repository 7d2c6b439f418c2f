import { randomUUID } from 'node:crypto';
import { STACK, eventually, http, sql } from '@gov/testing';

// The engine's step events carry each step's time limit, which supervision's clocks and lights run on. A user task
// names its statutory default (`timeLimitWorkingDays`) and may name the process variable that carries the matter's own
// limit from the catalogue (`timeLimitVariable`, bpmn/README.md): the event gives that variable's value when the
// instance has it as a positive whole number, and the default otherwise.

const KEY = `e2e-step-limits-${randomUUID().slice(0, 8)}`;

function flow(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://gov.example/e2e">
  <bpmn:process id="${KEY}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="Start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Review" />
    <bpmn:userTask id="Review" name="审查" camunda:candidateGroups="handler:e2e">
      <bpmn:extensionElements>
        <camunda:properties>
          <camunda:property name="timeLimitWorkingDays" value="5" />
          <camunda:property name="timeLimitVariable" value="reviewLimitDays" />
        </camunda:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="Review" targetRef="End" />
    <bpmn:endEvent id="End"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;
}

describe('step time limits in the engine step events', () => {
  let deploymentId: string | undefined;

  beforeAll(async () => {
    const form = new FormData();
    form.set('deployment-name', KEY);
    form.set('deployment-source', 'stack-e2e');
    form.set(`${KEY}.bpmn`, new Blob([flow()], { type: 'application/octet-stream' }), `${KEY}.bpmn`);
    const res = await fetch(`${STACK.engineUrl}/deployment/create`, { method: 'POST', body: form });
    const body = (await res.json()) as { id?: string };
    if (!res.ok || !body.id) throw new Error(`deployment refused: ${res.status} ${JSON.stringify(body)}`);
    deploymentId = body.id;
  });

  afterAll(async () => {
    if (deploymentId) await fetch(`${STACK.engineUrl}/deployment/${deploymentId}?cascade=true`, { method: 'DELETE' });
  });

  it("gives the matter's limit from the variable the step names, and the model's default when the instance has none or a bad one", async () => {
    // given instances with the variable at 9 (a Long, as approval sets it), as a numeric string, absent, zero and a word
    const variants: Array<[string, Record<string, { value: unknown; type: string }>, number]> = [
      ['long', { reviewLimitDays: { value: 9, type: 'Long' } }, 9],
      ['string', { reviewLimitDays: { value: '12', type: 'String' } }, 12],
      ['absent', {}, 5],
      ['zero', { reviewLimitDays: { value: 0, type: 'Long' } }, 5],
      ['word', { reviewLimitDays: { value: 'soon', type: 'String' } }, 5],
    ];
    const started = new Map<string, string>();
    for (const [name, variables] of variants) {
      const res = await http<{ id: string }>('POST', `${STACK.engineUrl}/process-definition/key/${KEY}/start`, { businessKey: `${KEY}-${name}`, variables });
      expect(res.status).toBe(200);
      started.set(name, res.body.id);
    }

    // when the engine writes their step-opened events to its outbox (relayed to Kafka by approval)
    const limits = await eventually('the step-opened events of every instance', async () => {
      const rows = await sql<{ pid: string; limit: number | null }>(
        'engine',
        `SELECT payload->'data'->>'processInstanceId' AS pid, (payload->'data'->>'timeLimitWorkingDays')::numeric AS limit
           FROM outbox WHERE type = 'gov.approval.step.opened' AND payload->'data'->>'processDefinitionKey' = $1`,
        [KEY],
      );
      return rows.length === variants.length ? new Map(rows.map((r) => [r.pid, Number(r.limit)])) : undefined;
    });

    // then
    expect(Object.fromEntries(variants.map(([name]) => [name, limits.get(started.get(name)!)]))).toEqual(Object.fromEntries(variants.map(([name, , want]) => [name, want])));
  });
});
