import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { CamundaClient } from './camunda.client';
import { WorkerHost } from './worker-host';

// Against the real engine: a worker long-polling a topic of its own gets a new task as soon as the engine creates it
// (the engine answers a waiting fetchAndLock on commit), not after a poll interval.
const ENGINE = process.env.ENGINE_URL ?? 'http://127.0.0.1:8080/engine-rest';
const suffix = randomBytes(4).toString('hex');
const KEY = `worker-latency-${suffix}`;
const TOPIC = `worker-latency-${suffix}`;
const bpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://gov.approval/bpmn">
  <bpmn:process id="${KEY}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="work" camunda:type="external" camunda:topic="${TOPIC}"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="e"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;

const engine = new CamundaClient({ baseUrl: ENGINE });
let deploymentId: string | undefined;
let host: WorkerHost | undefined;

afterAll(async () => {
  await host?.stop();
  if (deploymentId) await engine.deleteDeployment(deploymentId, true).catch(() => undefined);
});

describe('WorkerHost against the engine', () => {
  it('takes a new external task while its long poll is waiting, without a poll interval', async () => {
    // given: a worker already waiting in a long poll (25 s) on its own topic
    deploymentId = (await engine.deploy({ name: KEY, source: 'workflow-tests', files: [{ name: `${KEY}.bpmn`, content: bpmn }] })).id;
    const fetched: number[] = [];
    let done!: () => void;
    const handled = new Promise<void>((r) => (done = r));
    host = new WorkerHost({ baseUrl: ENGINE, workerId: `latency-${suffix}`, logger: pino({ level: 'silent' }), asyncResponseTimeoutMs: 25_000 });
    host.register({
      topic: TOPIC,
      handler: async () => {
        fetched.push(Date.now());
        done();
      },
    });
    host.start();
    await new Promise((r) => setTimeout(r, 500)); // let the first fetchAndLock reach the engine and wait there
    // when
    const instance = await engine.startByKey(KEY, { businessKey: `latency-${suffix}` });
    const created = Date.parse((await engine.historicProcessInstances({ processInstanceId: instance.id }))[0]?.startTime.replace(/\+0000$/, 'Z') ?? '');
    await handled;
    // then: fetched well inside the 25 s long poll (a worker that sleeps between polls or is not woken would not be)
    const latency = (fetched[0] ?? 0) - created;
    process.stdout.write(`external task created -> handler called: ${latency} ms\n`);
    expect(latency).toBeLessThan(5_000);
  });
});
