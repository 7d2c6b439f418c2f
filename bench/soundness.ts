// Soundness check time for a generated 200-node model (issue 9 benchmark). No stack needed; a short run.
//   npx tsx --tsconfig tsconfig.base.json bench/soundness.ts [nodes=200] [runs=5]
// The model chains blocks until it has the requested number of flow nodes: single tasks, parallel blocks (3
// branches of 2 tasks), one wide parallel block (5 branches of 3 tasks: 4^5 interleavings), exclusive diamonds and
// correction loops, plus a withdrawal event subprocess. It then times the same model with one parallel join turned
// into an exclusive one (unsound: the check must find it and report the path).
import { formatReport, parseBpmn, soundnessOf } from '@gov/soundness';

const TARGET = Number(process.argv[2] ?? 200);
const RUNS = Number(process.argv[3] ?? 5);

function model(target: number, broken: boolean): { xml: string; nodes: number } {
  const els: string[] = [];
  const flows: string[] = [];
  let n = 0;
  let f = 0;
  const node = (tag: string, attrs = ''): string => {
    n += 1;
    const id = `N${n}`;
    els.push(`<bpmn:${tag} id="${id}" name="${id}"${attrs} />`);
    return id;
  };
  const flow = (a: string, b: string, cond?: string): string => {
    f += 1;
    const id = `F${f}`;
    flows.push(cond ? `<bpmn:sequenceFlow id="${id}" sourceRef="${a}" targetRef="${b}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${cond}</bpmn:conditionExpression></bpmn:sequenceFlow>` : `<bpmn:sequenceFlow id="${id}" sourceRef="${a}" targetRef="${b}" />`);
    return id;
  };
  let last = node('startEvent');
  let block = 0;
  let wideDone = false;
  let brokenDone = false;
  const parallel = (branches: number, length: number): void => {
    const split = node('parallelGateway');
    flow(last, split);
    const join = broken && !brokenDone ? node('exclusiveGateway') : node('parallelGateway');
    brokenDone = brokenDone || broken;
    for (let b = 0; b < branches; b += 1) {
      let prev = split;
      for (let i = 0; i < length; i += 1) {
        const t = node('userTask');
        flow(prev, t);
        prev = t;
      }
      flow(prev, join);
    }
    last = join;
  };
  while (n < target - 2) {
    block += 1;
    if (!wideDone && n > target / 2) {
      parallel(5, 3);
      wideDone = true;
    } else if (block % 4 === 1) parallel(3, 2);
    else if (block % 4 === 2) {
      const x = node('exclusiveGateway');
      flow(last, x);
      const a = node('userTask');
      const b = node('userTask');
      const j = node('exclusiveGateway');
      flow(x, a, '${ok}');
      flow(x, b, '${!ok}');
      flow(a, j);
      flow(b, j);
      last = j;
    } else if (block % 4 === 3) {
      const m = node('exclusiveGateway');
      flow(last, m);
      const t = node('userTask');
      flow(m, t);
      const x = node('exclusiveGateway');
      flow(t, x);
      flow(x, m, '${again}');
      last = x;
      const next = node('userTask');
      flow(x, next, '${!again}');
      last = next;
    } else {
      const t = node('userTask');
      flow(last, t);
      last = t;
    }
  }
  const end = node('endEvent');
  flow(last, end);
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="bench" targetNamespace="t">
  <bpmn:message id="M_withdrawal" name="withdrawal" />
  <bpmn:process id="bench-soundness" isExecutable="true">
    ${els.join('\n    ')}
    ${flows.join('\n    ')}
    <bpmn:subProcess id="Withdrawal" triggeredByEvent="true">
      <bpmn:startEvent id="W_start"><bpmn:messageEventDefinition messageRef="M_withdrawal" /></bpmn:startEvent>
      <bpmn:serviceTask id="W_issue" /><bpmn:endEvent id="W_end" />
      <bpmn:sequenceFlow id="W_f1" sourceRef="W_start" targetRef="W_issue" /><bpmn:sequenceFlow id="W_f2" sourceRef="W_issue" targetRef="W_end" />
    </bpmn:subProcess>
  </bpmn:process>
</bpmn:definitions>`;
  return { xml, nodes: n + 3 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function measure(label: string, broken: boolean): Promise<void> {
  const { xml, nodes } = model(TARGET, broken);
  const parseMs: number[] = [];
  const checkMs: number[] = [];
  let summary = '';
  let states = 0;
  for (let r = 0; r < RUNS; r += 1) {
    const t0 = performance.now();
    const { definitions } = await parseBpmn(xml);
    const t1 = performance.now();
    const report = soundnessOf(definitions);
    const t2 = performance.now();
    parseMs.push(t1 - t0);
    checkMs.push(t2 - t1);
    states = Object.values(report.states).reduce((a, b) => a + b, 0);
    summary = report.sound ? 'sound' : `${report.problems.length} problem(s): ${report.problems.map((p) => p.kind).join(', ')}`;
    if (r === 0 && !report.sound) process.stdout.write(`${formatReport(report).split('\n').slice(0, 2).join('\n').slice(0, 400)}…\n`);
  }
  process.stdout.write(
    `${label}: ${nodes} flow nodes, ${states} states explored, ${summary}; parse median ${median(parseMs).toFixed(1)} ms, soundness median ${median(checkMs).toFixed(1)} ms (max ${Math.max(...checkMs).toFixed(1)} ms) over ${RUNS} runs\n`,
  );
}

async function main(): Promise<void> {
  await measure('sound model  ', false);
  await measure('unsound model', true);
}

void main();
