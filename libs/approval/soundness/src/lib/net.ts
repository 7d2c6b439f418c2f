/**
 * The token-game view of one BPMN process scope (a workflow net in all but name). Elements become nodes, sequence
 * flows become the places tokens sit on. Built from a parsed BPMN model by `netsOf` or by hand in tests.
 */
export type NodeKind =
  /** A none start event: the initial token sits on its outgoing flows. */
  | 'start'
  /** A none (or message/error/...) end event: consumes the token, counts one completion of its scope. */
  | 'end'
  /** A terminate end event: consumes the token and removes every other token of its scope. */
  | 'terminate'
  /** Task, call activity, intermediate event, multi-instance activity (abstracted to one firing): consumes one token, produces one on every outgoing flow. */
  | 'activity'
  /** Embedded subprocess: opens its inner start, completes when no token is left inside. */
  | 'subprocess'
  /** Exclusive or event-based gateway: one incoming token, one chosen outgoing flow. */
  | 'xor'
  /** Parallel gateway: a token on every incoming flow, one on every outgoing flow. */
  | 'and'
  /** Inclusive (or complex) gateway: a non-empty subset on split; on join, waits while a token can still arrive. */
  | 'or';

export interface NetBoundary {
  id: string;
  name?: string;
  interrupting: boolean;
  outgoing: string[];
}

export interface NetNode {
  id: string;
  name?: string;
  kind: NodeKind;
  /** The subprocess this node sits in, or undefined at the net's top level. */
  scope?: string;
  incoming: string[];
  outgoing: string[];
  boundaries: NetBoundary[];
}

export interface NetFlow {
  id: string;
  source: string;
  target: string;
}

export interface Net {
  /** The process id, or `process/eventSubProcess` for an event subprocess analysed on its own. */
  id: string;
  nodes: NetNode[];
  flows: NetFlow[];
}

export type ProblemKind =
  | 'no-start'
  | 'deadlock'
  | 'unmatched-parallel-join'
  | 'livelock'
  | 'improper-completion'
  | 'lack-of-synchronization'
  | 'dead-element'
  | 'state-space-limit';

export interface SoundnessProblem {
  kind: ProblemKind;
  net: string;
  message: string;
  /** The elements the problem is about (the stuck join, the dead task, the flow carrying two tokens). */
  elements: string[];
  /** The shortest firing sequence from the start that shows it (element ids, boundary events included). */
  path: string[];
}

export interface SoundnessReport {
  sound: boolean;
  problems: SoundnessProblem[];
  /** States explored per net. */
  states: Record<string, number>;
}
