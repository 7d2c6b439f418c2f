import { ALL_WORKER_TOPICS } from '@gov/contracts';
import { type RuleProblem, type SoundnessReport, checkProjectRules, formatReport, lintBpmn, parseBpmn, soundnessOf, writeBpmn } from '@gov/soundness';

/** What the pipeline found in an uploaded BPMN file; `ok` only when every section is empty and the model is sound. */
export interface FlowCheckReport {
  ok: boolean;
  processKey: string | null;
  /** Not well-formed XML, refused constructs (DOCTYPE/ENTITY: XXE), meta-model warnings, not exactly one executable process. */
  parse: string[];
  /** Differences after writing the model out with bpmn-moddle and reading it back. */
  roundTrip: string[];
  /** bpmnlint (recommended + Camunda 7.24 compatibility). */
  lint: string[];
  /** The project rules: candidate groups, time limits, a worker per external topic, withdrawal subprocess, history TTL. */
  rules: RuleProblem[];
  /** State-space exploration of the token game (seed 001 text 4); null when the model could not be parsed. */
  soundness: (SoundnessReport & { summary: string }) | null;
}

const PROCESS_KEY = /^[a-z][a-z0-9-]{2,63}$/;
const MAX_STATES = 30_000;

interface Element {
  $type: string;
  id?: string;
  isExecutable?: boolean;
  flowElements?: Element[];
}

function ids(elements: Element[] | undefined): string[] {
  return (elements ?? []).flatMap((e) => [e.id ?? '', ...ids(e.flowElements)]).sort();
}

/** Runs every check on one uploaded file. Never throws for bad input: the problems are in the report. */
export async function checkFlow(xml: string): Promise<FlowCheckReport> {
  const report: FlowCheckReport = { ok: false, processKey: null, parse: [], roundTrip: [], lint: [], rules: [], soundness: null };
  // No DTD at all: an entity declaration is how XML external entity (XXE) and entity-expansion attacks start, and a
  // BPMN file never needs one.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    report.parse.push('DOCTYPE and ENTITY declarations are refused (BPMN needs none; they are how XXE attacks start)');
    return report;
  }
  let parsed: Awaited<ReturnType<typeof parseBpmn>>;
  try {
    parsed = await parseBpmn(xml);
  } catch (e) {
    report.parse.push(`not a readable BPMN 2.0 file: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return report;
  }
  report.parse.push(...parsed.warnings.map((w) => w.split('\n')[0] ?? w));
  const roots = (parsed.definitions.rootElements ?? []) as unknown as Element[];
  const executable = roots.filter((r) => r.$type === 'bpmn:Process' && r.isExecutable);
  if (executable.length !== 1) report.parse.push(`a flow file holds exactly one executable process; this one has ${executable.length}`);
  const key = executable[0]?.id ?? null;
  if (key !== null && !PROCESS_KEY.test(key)) report.parse.push(`process id "${key}" is not a valid process key (lowercase letters, digits and -, 3-64 characters, starting with a letter)`);
  report.processKey = key;
  if (report.parse.length > 0) return report;

  const written = await writeBpmn(parsed.definitions);
  const again = await parseBpmn(written);
  report.roundTrip.push(...again.warnings);
  const before = ids(roots);
  const after = ids(again.definitions.rootElements ?? []);
  if (before.join(',') !== after.join(',')) report.roundTrip.push('the elements read back differ from the elements written');

  report.lint = await lintBpmn(parsed.definitions);
  report.rules = checkProjectRules(parsed.definitions, ALL_WORKER_TOPICS);
  // The exploration runs on the request's thread: the limit bounds it to about a second on this hardware. The
  // library's flows need fewer than 30 states each; a model beyond the limit is refused as not proven sound.
  const soundness = soundnessOf(parsed.definitions, { maxStates: MAX_STATES });
  report.soundness = { ...soundness, summary: formatReport(soundness) };
  report.ok = report.roundTrip.length === 0 && report.lint.length === 0 && report.rules.length === 0 && soundness.sound;
  return report;
}
