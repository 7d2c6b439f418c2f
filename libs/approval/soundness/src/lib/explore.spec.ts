import { parseBpmn, soundnessOf } from './bpmn';
import { formatReport } from './explore';
import type { SoundnessReport } from './net';

// Seed 001 text 4: a joint-review model is checked for deadlock before it runs. Each model below is small on purpose:
// the sound ones show what must pass, the broken ones each carry one defect the check must name, with its path.

const seq = (id: string, from: string, to: string, condition?: string): string =>
  condition
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;

const model = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;

async function check(body: string): Promise<SoundnessReport> {
  const { definitions, warnings } = await parseBpmn(model(body));
  expect(warnings).toEqual([]);
  return soundnessOf(definitions);
}

const kinds = (r: SoundnessReport): string[] => r.problems.map((p) => p.kind).sort();

describe('soundness by state-space exploration', () => {
  it('accepts a linear flow', async () => {
    // given a start, two tasks and an end
    const body = `<bpmn:startEvent id="s" /><bpmn:userTask id="a" /><bpmn:userTask id="b" /><bpmn:endEvent id="e" />
      ${seq('f1', 's', 'a')}${seq('f2', 'a', 'b')}${seq('f3', 'b', 'e')}`;
    // when
    const report = await check(body);
    // then
    expect(formatReport(report)).toBe('sound');
    expect(report.states.p).toBe(4);
  });

  it('accepts a parallel split matched by a parallel join, and an exclusive choice merged by an exclusive join', async () => {
    const body = `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="split" /><bpmn:userTask id="a" /><bpmn:userTask id="b" />
      <bpmn:parallelGateway id="join" /><bpmn:exclusiveGateway id="x" /><bpmn:userTask id="c" /><bpmn:userTask id="d" />
      <bpmn:exclusiveGateway id="xj" /><bpmn:endEvent id="e" />
      ${seq('f1', 's', 'split')}${seq('f2', 'split', 'a')}${seq('f3', 'split', 'b')}${seq('f4', 'a', 'join')}${seq('f5', 'b', 'join')}
      ${seq('f6', 'join', 'x')}${seq('f7', 'x', 'c', '${ok}')}${seq('f8', 'x', 'd', '${!ok}')}${seq('f9', 'c', 'xj')}${seq('f10', 'd', 'xj')}${seq('f11', 'xj', 'e')}`;
    const report = await check(body);
    expect(formatReport(report)).toBe('sound');
  });

  it('accepts an inclusive split matched by an inclusive join (the join waits while a token can still come)', async () => {
    const body = `<bpmn:startEvent id="s" /><bpmn:inclusiveGateway id="or" /><bpmn:userTask id="a" /><bpmn:userTask id="b" /><bpmn:userTask id="a2" />
      <bpmn:inclusiveGateway id="orj" /><bpmn:endEvent id="e" />
      ${seq('f1', 's', 'or')}${seq('f2', 'or', 'a', '${x}')}${seq('f3', 'or', 'b', '${y}')}${seq('f4', 'a', 'a2')}${seq('f5', 'a2', 'orj')}${seq('f6', 'b', 'orj')}${seq('f7', 'orj', 'e')}`;
    const report = await check(body);
    expect(formatReport(report)).toBe('sound');
  });

  it('accepts a loop back for correction that can always leave', async () => {
    const body = `<bpmn:startEvent id="s" /><bpmn:exclusiveGateway id="m" /><bpmn:userTask id="a" /><bpmn:exclusiveGateway id="x" /><bpmn:endEvent id="e" />
      ${seq('f1', 's', 'm')}${seq('f2', 'm', 'a')}${seq('f3', 'a', 'x')}${seq('f4', 'x', 'm', '${again}')}${seq('f5', 'x', 'e', '${!again}')}`;
    expect(formatReport(await check(body))).toBe('sound');
  });

  it('reports an exclusive split closed by a parallel join as an unmatched join, with the path that gets stuck', async () => {
    // given the classic joint-review mistake: choose one department, then wait for both
    const body = `<bpmn:startEvent id="s" /><bpmn:exclusiveGateway id="x" /><bpmn:userTask id="a" name="国土会审" /><bpmn:userTask id="b" name="规划会审" />
      <bpmn:parallelGateway id="join" name="汇总" /><bpmn:endEvent id="e" />
      ${seq('f1', 's', 'x')}${seq('f2', 'x', 'a', '${one}')}${seq('f3', 'x', 'b', '${!one}')}${seq('f4', 'a', 'join')}${seq('f5', 'b', 'join')}${seq('f6', 'join', 'e')}`;
    // when
    const report = await check(body);
    // then
    expect(report.sound).toBe(false);
    const stuck = report.problems.find((p) => p.kind === 'unmatched-parallel-join');
    expect(stuck?.elements).toEqual(['join']);
    expect(stuck?.path).toEqual(['s', 'x→f2', 'a']);
    expect(report.problems.find((p) => p.kind === 'dead-element')?.elements).toEqual(['e']);
    expect(formatReport(report)).toContain('path: s → x→f2 → a');
  });

  it('reports a parallel split merged by an exclusive join as lack of synchronisation and improper completion', async () => {
    // given two parallel opinions merged without waiting: the decision would be taken twice ("whichever finished last")
    const body = `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="split" /><bpmn:userTask id="a" /><bpmn:userTask id="b" />
      <bpmn:exclusiveGateway id="merge" /><bpmn:userTask id="decide" name="决定" /><bpmn:endEvent id="e" />
      ${seq('f1', 's', 'split')}${seq('f2', 'split', 'a')}${seq('f3', 'split', 'b')}${seq('f4', 'a', 'merge')}${seq('f5', 'b', 'merge')}${seq('f6', 'merge', 'decide')}${seq('f7', 'decide', 'e')}`;
    const report = await check(body);
    expect(kinds(report)).toEqual(expect.arrayContaining(['improper-completion', 'lack-of-synchronization']));
    const improper = report.problems.find((p) => p.kind === 'improper-completion');
    expect(improper?.path.filter((x) => x === 'decide')).toHaveLength(2);
  });

  it('reports a parallel branch that ends on its own as improper completion (one case, two ends)', async () => {
    // given a parallel split whose second branch goes to its own end event
    const body = `<bpmn:startEvent id="s" /><bpmn:userTask id="a" /><bpmn:parallelGateway id="split" /><bpmn:userTask id="b" /><bpmn:userTask id="c" />
      <bpmn:parallelGateway id="join" /><bpmn:endEvent id="e" /><bpmn:endEvent id="e2" />
      ${seq('f1', 's', 'a')}${seq('f2', 'a', 'split')}${seq('f3', 'split', 'b')}${seq('f4', 'split', 'c')}${seq('f5', 'b', 'join')}${seq('f6', 'c', 'e2')}${seq('f7', 'join', 'e')}`;
    const report = await check(body);
    expect(report.sound).toBe(false);
    expect(kinds(report)).toContain('improper-completion');
  });

  it('reports a livelock: a loop with no exit never reaches the end', async () => {
    const body = `<bpmn:startEvent id="s" /><bpmn:exclusiveGateway id="m" /><bpmn:userTask id="a" name="反复审查" /><bpmn:userTask id="b" />
      <bpmn:exclusiveGateway id="x" /><bpmn:endEvent id="e" />
      ${seq('f1', 's', 'x')}${seq('f2', 'x', 'm', '${loop}')}${seq('f3', 'm', 'a')}${seq('f4', 'a', 'b')}${seq('f5', 'b', 'm')}${seq('f6', 'x', 'e', '${!loop}')}`;
    const report = await check(body);
    const live = report.problems.find((p) => p.kind === 'livelock');
    expect(live?.path).toEqual(['s', 'x→f2']);
    expect(live?.message).toContain('never reach an end');
  });

  it('reports a dead task that no path reaches', async () => {
    const body = `<bpmn:startEvent id="s" /><bpmn:userTask id="a" /><bpmn:endEvent id="e" /><bpmn:userTask id="orphan" name="无人到达" /><bpmn:endEvent id="e2" />
      ${seq('f1', 's', 'a')}${seq('f2', 'a', 'e')}${seq('f3', 'orphan', 'e2')}`;
    const report = await check(body);
    expect(report.problems.filter((p) => p.kind === 'dead-element').map((p) => p.elements[0]).sort()).toEqual(['e2', 'orphan']);
  });

  it('reports a parallel join that waits forever after its other branch left through an early end', async () => {
    // given a parallel split where one branch may leave to an end instead of reaching the join
    const body = `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="split" /><bpmn:userTask id="a" /><bpmn:exclusiveGateway id="x" />
      <bpmn:parallelGateway id="join" /><bpmn:endEvent id="e" /><bpmn:endEvent id="early" />
      ${seq('f1', 's', 'split')}${seq('f2', 'split', 'a')}${seq('f3', 'split', 'join')}${seq('f4', 'a', 'x')}${seq('f5', 'x', 'join', '${ok}')}${seq('f6', 'x', 'early', '${!ok}')}${seq('f7', 'join', 'e')}`;
    const report = await check(body);
    const stuck = report.problems.find((p) => p.kind === 'unmatched-parallel-join');
    expect(stuck?.elements).toEqual(['join']);
    expect(stuck?.path).toEqual(['s', 'split', 'a', 'x→f6', 'early']);
  });

  it('treats an interrupting boundary event as an alternative way out of its task', async () => {
    // given a payment wait whose deadline (timer boundary) leads to a refusal: both ways end once
    const body = `<bpmn:startEvent id="s" /><bpmn:receiveTask id="pay" /><bpmn:boundaryEvent id="late" attachedToRef="pay"><bpmn:timerEventDefinition /></bpmn:boundaryEvent>
      <bpmn:userTask id="refuse" /><bpmn:exclusiveGateway id="m" /><bpmn:endEvent id="e" />
      ${seq('f1', 's', 'pay')}${seq('f2', 'pay', 'm')}${seq('f3', 'late', 'refuse')}${seq('f4', 'refuse', 'm')}${seq('f5', 'm', 'e')}`;
    expect(formatReport(await check(body))).toBe('sound');
  });

  it('catches a non-interrupting boundary whose branch is merged back by an exclusive gateway (the case would end twice)', async () => {
    const body = `<bpmn:startEvent id="s" /><bpmn:userTask id="a" /><bpmn:boundaryEvent id="remind" attachedToRef="a" cancelActivity="false"><bpmn:timerEventDefinition /></bpmn:boundaryEvent>
      <bpmn:userTask id="r" /><bpmn:exclusiveGateway id="m" /><bpmn:endEvent id="e" />
      ${seq('f1', 's', 'a')}${seq('f2', 'a', 'm')}${seq('f3', 'remind', 'r')}${seq('f4', 'r', 'm')}${seq('f5', 'm', 'e')}`;
    const report = await check(body);
    expect(kinds(report)).toContain('improper-completion');
    expect(report.problems.find((p) => p.kind === 'improper-completion')?.path[1]).toBe('remind');
  });

  it('checks an embedded subprocess inline and an event subprocess on its own', async () => {
    // given a sound main flow with a subprocess, and a withdrawal event subprocess whose inside is broken
    const body = `<bpmn:startEvent id="s" /><bpmn:subProcess id="sp"><bpmn:startEvent id="ss" /><bpmn:userTask id="in" /><bpmn:endEvent id="se" />${seq('g1', 'ss', 'in')}${seq('g2', 'in', 'se')}</bpmn:subProcess>
      <bpmn:endEvent id="e" />${seq('f1', 's', 'sp')}${seq('f2', 'sp', 'e')}
      <bpmn:subProcess id="withdrawal" triggeredByEvent="true"><bpmn:startEvent id="ws"><bpmn:messageEventDefinition /></bpmn:startEvent>
        <bpmn:exclusiveGateway id="wx" /><bpmn:userTask id="wa" /><bpmn:userTask id="wb" /><bpmn:parallelGateway id="wj" /><bpmn:endEvent id="we" />
        ${seq('h1', 'ws', 'wx')}${seq('h2', 'wx', 'wa', '${a}')}${seq('h3', 'wx', 'wb', '${!a}')}${seq('h4', 'wa', 'wj')}${seq('h5', 'wb', 'wj')}${seq('h6', 'wj', 'we')}
      </bpmn:subProcess>`;
    const report = await check(body);
    expect(report.problems.filter((p) => p.net === 'p')).toEqual([]);
    expect(report.problems.find((p) => p.net === 'p/withdrawal')?.kind).toBe('unmatched-parallel-join');
    expect(report.states['p/withdrawal']).toBeGreaterThan(0);
  });

  it('stops at the state limit and says the model could not be proven sound', async () => {
    const branches = Array.from({ length: 12 }, (_, i) => `<bpmn:userTask id="t${i}" />${seq(`a${i}`, 'split', `t${i}`)}${seq(`b${i}`, `t${i}`, 'join')}`).join('');
    const body = `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="split" /><bpmn:parallelGateway id="join" /><bpmn:endEvent id="e" />${branches}${seq('f1', 's', 'split')}${seq('f2', 'join', 'e')}`;
    const { definitions } = await parseBpmn(model(body));
    const report = soundnessOf(definitions, { maxStates: 500 });
    expect(kinds(report)).toEqual(['state-space-limit']);
  });
});
