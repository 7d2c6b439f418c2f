// The parsers ship no types; the reference carries ours into every program that imports this library.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./bpmn-modules.d.ts" />
import { BpmnModdle } from 'bpmn-moddle';
import Linter from 'bpmnlint/lib/linter';
import NodeResolver from 'bpmnlint/lib/resolver/node-resolver';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import { checkSoundness, type ExploreOptions } from './explore';
import { type BpmnElement, netsOf } from './from-bpmn';
import type { SoundnessReport } from './net';
import type { Definitions } from './rules';

export interface ParsedBpmn {
  definitions: Definitions;
  /** bpmn-moddle's complaints against the BPMN 2.0 + Camunda meta-models (unknown elements, bad references, ...). */
  warnings: string[];
}

export function bpmnModdle(): BpmnModdle {
  return new BpmnModdle({ camunda: camundaModdle });
}

/** Parses BPMN 2.0 XML with the Camunda extensions. Throws on XML that is not well formed. */
export async function parseBpmn(xml: string): Promise<ParsedBpmn> {
  const { rootElement, warnings } = await bpmnModdle().fromXML(xml, 'bpmn:Definitions');
  return { definitions: rootElement, warnings: warnings.map((w) => w.message) };
}

/** Writes the model back out (for the round-trip check). */
export async function writeBpmn(definitions: Definitions): Promise<string> {
  return (await bpmnModdle().toXML(definitions, { format: true })).xml;
}

/** The soundness of every executable process in a parsed model. */
export function soundnessOf(definitions: Definitions, options: ExploreOptions = {}): SoundnessReport {
  const processes = definitions.rootElements.filter((r) => r.$type === 'bpmn:Process') as unknown as BpmnElement[];
  return checkSoundness(processes.flatMap((p) => netsOf(p)), options);
}

/** The project's bpmnlint configuration (bpmn/.bpmnlintrc): recommended rules plus Camunda 7.24 compatibility. */
export const BPMNLINT_CONFIG: Record<string, unknown> = {
  extends: ['bpmnlint:recommended', 'plugin:camunda-compat/camunda-platform-7-24'],
  rules: { 'label-required': 'error', 'no-implicit-start': 'error', 'no-implicit-end': 'error' },
};

/** bpmnlint's errors and warnings, one line each (`rule element: message`). */
export async function lintBpmn(definitions: Definitions, config: Record<string, unknown> = BPMNLINT_CONFIG): Promise<string[]> {
  const linter = new Linter({ config, resolver: new NodeResolver() });
  const results = await linter.lint(definitions);
  return Object.entries(results).flatMap(([rule, reports]) =>
    reports.filter((r) => r.category === 'error' || r.category === 'warn').map((r) => `${rule} ${r.id}: ${r.message}`),
  );
}
