import type { Net, NetBoundary, NetFlow, NetNode, NodeKind } from './net';

/** The parts of a bpmn-moddle element the translation reads (duck-typed so the library needs no BPMN parser). */
export interface BpmnElement {
  $type: string;
  id?: string;
  name?: string;
  flowElements?: BpmnElement[];
  sourceRef?: BpmnElement;
  targetRef?: BpmnElement;
  attachedToRef?: BpmnElement;
  cancelActivity?: boolean;
  triggeredByEvent?: boolean;
  eventDefinitions?: BpmnElement[];
}

const ACTIVITIES = new Set([
  'bpmn:Task',
  'bpmn:UserTask',
  'bpmn:ServiceTask',
  'bpmn:SendTask',
  'bpmn:ReceiveTask',
  'bpmn:ScriptTask',
  'bpmn:BusinessRuleTask',
  'bpmn:ManualTask',
  'bpmn:CallActivity',
  'bpmn:IntermediateCatchEvent',
  'bpmn:IntermediateThrowEvent',
  // A transaction or an ad-hoc subprocess is abstracted to one step (its inside is checked where it is embedded).
  'bpmn:AdHocSubProcess',
]);

function kindOf(el: BpmnElement): NodeKind | undefined {
  switch (el.$type) {
    case 'bpmn:StartEvent':
      return 'start';
    case 'bpmn:EndEvent':
      return (el.eventDefinitions ?? []).some((d) => d.$type === 'bpmn:TerminateEventDefinition') ? 'terminate' : 'end';
    case 'bpmn:ExclusiveGateway':
    case 'bpmn:EventBasedGateway':
      return 'xor';
    case 'bpmn:ParallelGateway':
      return 'and';
    case 'bpmn:InclusiveGateway':
    case 'bpmn:ComplexGateway':
      return 'or';
    case 'bpmn:SubProcess':
    case 'bpmn:Transaction':
      return 'subprocess';
    default:
      return ACTIVITIES.has(el.$type) ? 'activity' : undefined;
  }
}

/**
 * The nets to check for one BPMN process: the process itself (embedded subprocesses inlined as scopes) and, on its
 * own, each event subprocess. An event subprocess shares no sequence flow with its parent: an interrupting one
 * empties the parent and then runs alone, a non-interrupting one runs beside it; either way the whole is sound when
 * the parent and every event subprocess are sound from their own start, so each is checked separately.
 */
export function netsOf(process: BpmnElement): Net[] {
  const nets: Net[] = [];
  const main: Net = { id: process.id ?? 'process', nodes: [], flows: [] };
  nets.push(main);
  collect(process.flowElements ?? [], undefined, main, nets, main.id);
  return nets;
}

function collect(elements: BpmnElement[], scope: string | undefined, net: Net, nets: Net[], netId: string): void {
  const byId = new Map<string, NetNode>();
  const boundaries: BpmnElement[] = [];
  const flows: NetFlow[] = [];
  for (const el of elements) {
    if (el.$type === 'bpmn:SequenceFlow') {
      flows.push({ id: el.id ?? '?', source: el.sourceRef?.id ?? '?', target: el.targetRef?.id ?? '?' });
      continue;
    }
    if (el.$type === 'bpmn:BoundaryEvent') {
      boundaries.push(el);
      continue;
    }
    if (el.$type === 'bpmn:SubProcess' && el.triggeredByEvent) {
      const sub: Net = { id: `${netId}/${el.id ?? '?'}`, nodes: [], flows: [] };
      nets.push(sub);
      collect(el.flowElements ?? [], undefined, sub, nets, sub.id);
      continue;
    }
    const kind = kindOf(el);
    if (!kind) continue;
    // A start event inside an embedded subprocess is its entry, not a second start of the net.
    const node: NetNode = { id: el.id ?? '?', name: el.name, kind, scope, incoming: [], outgoing: [], boundaries: [] };
    byId.set(node.id, node);
    net.nodes.push(node);
    if (kind === 'subprocess') collect(el.flowElements ?? [], node.id, net, nets, netId);
  }
  for (const b of boundaries) {
    const host = byId.get(b.attachedToRef?.id ?? '');
    if (!host) continue;
    const boundary: NetBoundary = { id: b.id ?? '?', name: b.name, interrupting: b.cancelActivity !== false, outgoing: [] };
    host.boundaries.push(boundary);
    for (const f of flows) if (f.source === boundary.id) boundary.outgoing.push(f.id);
  }
  for (const f of flows) {
    const source = byId.get(f.source);
    const target = byId.get(f.target);
    if (source) source.outgoing.push(f.id);
    if (target) target.incoming.push(f.id);
    net.flows.push(f);
  }
}
