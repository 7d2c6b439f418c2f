/**
 * The project's own BPMN rules, beyond bpmnlint's:
 * - every user task names candidate groups (role:organisation) and a time limit in working days;
 * - every external service task's topic has a registered TypeScript worker;
 * - every executable process sets historyTimeToLive (Camunda 7.20+ enforces it);
 * - every executable process can be withdrawn: an interrupting event subprocess started by the message `withdrawal`
 *   (seed 001 text 3; it ends the case with a 准予撤回 decision);
 * - a limit taken from a process variable (timeLimitVariable) names a plain variable.
 */
export interface RuleProblem {
  rule: string;
  element: string;
  message: string;
}

export interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  $attrs?: Record<string, string>;
  get(name: string): unknown;
  flowElements?: ModdleElement[];
  extensionElements?: { values?: ModdleElement[] };
  values?: ModdleElement[];
  isExecutable?: boolean;
}

export function propertiesOf(element: ModdleElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ext of element.extensionElements?.values ?? []) {
    if (ext.$type !== 'camunda:Properties') continue;
    for (const p of ext.values ?? []) {
      const name = p.get('name');
      const value = p.get('value');
      if (typeof name === 'string' && typeof value === 'string') out[name] = value;
    }
  }
  return out;
}

function* walk(elements: ModdleElement[] | undefined): Generator<ModdleElement> {
  for (const el of elements ?? []) {
    yield el;
    if (el.flowElements) yield* walk(el.flowElements);
  }
}

export interface Definitions {
  rootElements: ModdleElement[];
}

/**
 * The process variable each user task of process `processKey` takes its limit from (`timeLimitVariable`), by task
 * id: what a matter's per-step limits (keyed by task id) are set as when a case starts.
 */
export function timeLimitVariables(definitions: Definitions, processKey: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const root of definitions.rootElements) {
    if (root.$type !== 'bpmn:Process' || root.id !== processKey) continue;
    for (const el of walk(root.flowElements)) {
      const variable = el.$type === 'bpmn:UserTask' ? propertiesOf(el).timeLimitVariable : undefined;
      if (el.id && variable) out.set(el.id, variable);
    }
  }
  return out;
}

/** A call activity of a process: the process key it calls and its `camunda:calledElementTenantId` as written. */
export interface CalledElement {
  activityId: string;
  calledElement: string;
  /** The tenant expression or literal (e.g. `${cityTenantId}`); null when the called definition is the caller's tenant's. */
  tenantId: string | null;
}

/**
 * The call activities of process `processKey` (subprocesses included) that name a static `calledElement`: the flows a
 * case of it runs in (上报件 calls the city's review in the city tenant), so their tasks' limits are set at start too.
 */
export function calledElements(definitions: Definitions, processKey: string): CalledElement[] {
  const out: CalledElement[] = [];
  for (const root of definitions.rootElements) {
    if (root.$type !== 'bpmn:Process' || root.id !== processKey) continue;
    for (const el of walk(root.flowElements)) {
      if (el.$type !== 'bpmn:CallActivity') continue;
      const called = el.get('calledElement');
      const tenant = el.get('camunda:calledElementTenantId');
      if (!el.id || typeof called !== 'string' || called === '' || called.includes('${')) continue;
      out.push({ activityId: el.id, calledElement: called, tenantId: typeof tenant === 'string' && tenant !== '' ? tenant : null });
    }
  }
  return out;
}

export function checkProjectRules(definitions: Definitions, registeredTopics: readonly string[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const root of definitions.rootElements) {
    if (root.$type !== 'bpmn:Process') continue;
    if (root.isExecutable && !root.get('camunda:historyTimeToLive')) {
      problems.push({ rule: 'history-ttl', element: root.id ?? '?', message: 'executable process must set camunda:historyTimeToLive' });
    }
    if (root.isExecutable && !hasWithdrawal(root)) {
      problems.push({
        rule: 'withdrawal-subprocess',
        element: root.id ?? '?',
        message: 'executable process must have an interrupting event subprocess started by the message "withdrawal" (准予撤回)',
      });
    }
    for (const el of walk(root.flowElements)) {
      if (el.$type === 'bpmn:UserTask') {
        const groups = el.get('camunda:candidateGroups');
        if (typeof groups !== 'string' || groups.trim() === '') {
          problems.push({ rule: 'user-task-candidate-groups', element: el.id ?? '?', message: 'user task must set camunda:candidateGroups (role:organisation)' });
        }
        const limit = propertiesOf(el).timeLimitWorkingDays;
        if (limit === undefined) {
          problems.push({ rule: 'user-task-time-limit', element: el.id ?? '?', message: 'user task must carry the extension property timeLimitWorkingDays' });
        } else if (!/^\d+$/.test(limit) || Number(limit) === 0) {
          problems.push({ rule: 'user-task-time-limit', element: el.id ?? '?', message: `timeLimitWorkingDays must be a positive whole number of working days, got "${limit}"` });
        }
        const variable = propertiesOf(el).timeLimitVariable;
        if (variable !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
          problems.push({ rule: 'user-task-time-limit', element: el.id ?? '?', message: `timeLimitVariable must name a process variable, got "${variable}"` });
        }
      }
      if ((el.$type === 'bpmn:ServiceTask' || el.$type === 'bpmn:SendTask') && el.get('camunda:type') === 'external') {
        const topic = el.get('camunda:topic');
        if (typeof topic !== 'string' || !registeredTopics.includes(topic)) {
          problems.push({ rule: 'external-topic-has-worker', element: el.id ?? '?', message: `external topic "${String(topic)}" has no registered worker` });
        }
      }
    }
  }
  return problems;
}

function hasWithdrawal(process: ModdleElement): boolean {
  return (process.flowElements ?? []).some(
    (el) =>
      el.$type === 'bpmn:SubProcess' &&
      el.get('triggeredByEvent') === true &&
      (el.flowElements ?? []).some((start) => {
        if (start.$type !== 'bpmn:StartEvent' || start.get('isInterrupting') === false) return false;
        const definitions = (start.get('eventDefinitions') ?? []) as ModdleElement[];
        return definitions.some((d) => d.$type === 'bpmn:MessageEventDefinition' && (d.get('messageRef') as ModdleElement | undefined)?.name === 'withdrawal');
      }),
  );
}
