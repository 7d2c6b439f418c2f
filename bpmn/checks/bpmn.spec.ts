import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_WORKER_TOPICS } from '@gov/contracts';
import { BpmnModdle } from 'bpmn-moddle';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import Linter from 'bpmnlint/lib/linter';
import NodeResolver from 'bpmnlint/lib/resolver/node-resolver';
import { type Definitions, checkProjectRules, formatReport, soundnessOf } from '@gov/soundness';

const dir = join(__dirname, '..');
const files = readdirSync(dir).filter((f) => f.endsWith('.bpmn'));
const lintConfig = JSON.parse(readFileSync(join(dir, '.bpmnlintrc'), 'utf8')) as Record<string, unknown>;

async function parse(xml: string): Promise<{ rootElement: Definitions; warnings: { message: string }[] }> {
  const moddle = new BpmnModdle({ camunda: camundaModdle });
  return moddle.fromXML(xml, 'bpmn:Definitions');
}

async function lint(definitions: Definitions): Promise<string[]> {
  const linter = new Linter({ config: lintConfig, resolver: new NodeResolver() });
  const results = await linter.lint(definitions);
  return Object.entries(results).flatMap(([rule, reports]) =>
    reports.filter((r) => r.category === 'error' || r.category === 'warn').map((r) => `${rule} ${r.id}: ${r.message}`),
  );
}

describe('flows in bpmn/', () => {
  it('has at least one flow', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(files)('%s', (file) => {
    const xml = readFileSync(join(dir, file), 'utf8');

    it('parses against the BPMN 2.0 and Camunda schemas without warnings', async () => {
      const { warnings } = await parse(xml);
      expect(warnings.map((w) => w.message)).toEqual([]);
    });

    it('round-trips through bpmn-moddle unchanged in meaning', async () => {
      const moddle = new BpmnModdle({ camunda: camundaModdle });
      const { rootElement } = await parse(xml);
      const { xml: written } = await moddle.toXML(rootElement, { format: true });
      const again = await parse(written);
      expect(again.warnings).toEqual([]);
      const ids = (d: Definitions) => d.rootElements.flatMap((r) => (r.flowElements ?? []).map((e) => e.id ?? '')).sort();
      expect(ids(again.rootElement)).toEqual(ids(rootElement));
    });

    it('passes bpmnlint (recommended + Camunda 7.24 compatibility)', async () => {
      const { rootElement } = await parse(xml);
      expect(await lint(rootElement)).toEqual([]);
    });

    it('passes the project rules', async () => {
      const { rootElement } = await parse(xml);
      expect(checkProjectRules(rootElement, ALL_WORKER_TOPICS)).toEqual([]);
    });

    it('is sound: no deadlock, every run reaches one end, joins match their splits, no dead task (seed 001 text 4)', async () => {
      const { rootElement } = await parse(xml);
      expect(formatReport(soundnessOf(rootElement))).toBe('sound');
    });
  });
});

describe('project rules', () => {
  const broken = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:userTask id="noGroups" name="a" />
    <bpmn:userTask id="badLimit" name="b" camunda:candidateGroups="handler:X">
      <bpmn:extensionElements><camunda:properties><camunda:property name="timeLimitWorkingDays" value="three" /></camunda:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:serviceTask id="orphan" name="c" camunda:type="external" camunda:topic="nobody-listens" />
  </bpmn:process>
</bpmn:definitions>`;

  it('reports a missing TTL, missing groups and limit, a malformed limit, an external topic without a worker and a missing withdrawal', async () => {
    // given
    const { rootElement } = await parse(broken);
    // when
    const problems = checkProjectRules(rootElement, ALL_WORKER_TOPICS);
    // then
    expect(problems.map((p) => `${p.rule}@${p.element}`).sort()).toEqual(
      [
        'history-ttl@p',
        'user-task-candidate-groups@noGroups',
        'user-task-time-limit@noGroups',
        'user-task-time-limit@badLimit',
        'external-topic-has-worker@orphan',
        'withdrawal-subprocess@p',
      ].sort(),
    );
  });

  it('bpmnlint catches structural errors such as a disconnected task', async () => {
    const { rootElement } = await parse(broken);
    const reports = await lint(rootElement);
    expect(reports.some((r) => r.startsWith('no-disconnected'))).toBe(true);
  });
});
