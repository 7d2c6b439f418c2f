import type { Net, NetNode, ProblemKind, SoundnessProblem, SoundnessReport } from './net';

export interface ExploreOptions {
  /** Stop (and report `state-space-limit`) after this many distinct states per net. */
  maxStates?: number;
}

/** Tokens per flow are counted up to this: a second token on one flow is already a problem (lack of synchronisation). */
const CAP = 2;

/** States after which exploration of a model already found unsafe stops (see exploreNet). */
const UNSAFE_STOP = 10_000;

interface Step {
  label: string;
  next: Uint8Array;
  /** A flow that received a second token, if any. */
  doubled?: string;
}

/**
 * State-space exploration of one net's token game. The state is the token count on every sequence flow, the number of
 * running instances of every embedded subprocess, whether each non-interrupting subprocess boundary has fired, and how
 * often the top level reached an end event (0, 1, 2+). Exploration is breadth first, so every reported path is a
 * shortest one. Checked: option to complete (no deadlock, no livelock), proper completion (the top level ends once),
 * safeness (no flow carries two tokens, i.e. no AND split merged by an XOR join) and no dead element.
 */
class Explorer {
  private readonly flowIndex = new Map<string, number>();
  private readonly nodeById = new Map<string, NetNode>();
  private readonly subIndex = new Map<string, number>();
  private readonly boundaryFlag = new Map<string, number>();
  private readonly innerFlows = new Map<string, number[]>();
  private readonly innerSubs = new Map<string, number[]>();
  private readonly orWaits = new Map<string, Map<number, Set<number>>>();
  private readonly width: number;
  private readonly endsAt: number;

  private readonly targetOf: (NetNode | undefined)[];

  constructor(private readonly net: Net) {
    net.flows.forEach((f, i) => this.flowIndex.set(f.id, i));
    for (const n of net.nodes) this.nodeById.set(n.id, n);
    this.targetOf = net.flows.map((f) => this.nodeById.get(f.target));
    let slot = net.flows.length;
    for (const n of net.nodes) {
      if (n.kind !== 'subprocess') continue;
      this.subIndex.set(n.id, slot++);
      for (const b of n.boundaries) if (!b.interrupting) this.boundaryFlag.set(b.id, slot++);
    }
    this.endsAt = slot++;
    this.width = slot;
    for (const n of net.nodes) {
      if (n.kind !== 'subprocess') continue;
      const inside = net.nodes.filter((m) => this.within(m, n.id));
      const ids = new Set(inside.map((m) => m.id));
      this.innerFlows.set(
        n.id,
        net.flows.filter((f) => ids.has(f.target) || ids.has(f.source)).map((f) => this.flowIndex.get(f.id) ?? -1),
      );
      this.innerSubs.set(
        n.id,
        inside.filter((m) => m.kind === 'subprocess').flatMap((m) => [this.subIndex.get(m.id) ?? -1, ...m.boundaries.map((b) => this.boundaryFlag.get(b.id) ?? -1)]).filter((i) => i >= 0),
      );
    }
    for (const n of net.nodes) if (n.kind === 'or') this.orWaits.set(n.id, this.upstreamOf(n));
  }

  /** True when node m sits (directly or deeper) inside subprocess sp. */
  private within(m: NetNode, sp: string): boolean {
    for (let s = m.scope; s !== undefined; s = this.nodeById.get(s)?.scope) if (s === sp) return true;
    return false;
  }

  private idx(flow: string): number {
    return this.flowIndex.get(flow) ?? -1;
  }

  /** For each incoming flow of an inclusive join: the flows from which a token could still reach it, not passing the join. */
  private upstreamOf(join: NetNode): Map<number, Set<number>> {
    const hostOfBoundary = new Map<string, NetNode>();
    for (const n of this.net.nodes) for (const b of n.boundaries) hostOfBoundary.set(b.id, n);
    const preds = (flow: number): number[] => {
      const f = this.net.flows[flow];
      if (!f) return [];
      const source = this.nodeById.get(f.source) ?? hostOfBoundary.get(f.source);
      if (!source || source.id === join.id) return [];
      const out = source.incoming.map((x) => this.idx(x));
      if (source.kind === 'subprocess') out.push(...(this.innerFlows.get(source.id) ?? []));
      if (source.kind === 'start' && source.scope !== undefined) out.push(...(this.nodeById.get(source.scope)?.incoming ?? []).map((x) => this.idx(x)));
      return out;
    };
    const result = new Map<number, Set<number>>();
    for (const inc of join.incoming) {
      const start = this.idx(inc);
      const seen = new Set<number>([start]);
      const queue = [start];
      while (queue.length > 0) {
        const cur = queue.pop() as number;
        for (const p of preds(cur)) {
          if (p < 0 || seen.has(p)) continue;
          seen.add(p);
          queue.push(p);
        }
      }
      result.set(start, seen);
    }
    return result;
  }

  initialStates(): { label: string; state: Uint8Array }[] {
    return this.net.nodes
      .filter((n) => n.kind === 'start' && n.scope === undefined)
      .map((n) => {
        const s = new Uint8Array(this.width);
        for (const f of n.outgoing) this.add(s, f);
        return { label: n.id, state: s };
      });
  }

  private add(s: Uint8Array, flow: string): string | undefined {
    const i = this.idx(flow);
    if (i < 0) return undefined;
    const before = s[i] ?? 0;
    s[i] = Math.min(CAP, before + 1);
    return before >= 1 ? flow : undefined;
  }

  private produce(s: Uint8Array, flows: string[]): string | undefined {
    let doubled: string | undefined;
    for (const f of flows) doubled = this.add(s, f) ?? doubled;
    return doubled;
  }

  private ended(s: Uint8Array, n: NetNode): void {
    if (n.scope === undefined) s[this.endsAt] = Math.min(CAP, (s[this.endsAt] ?? 0) + 1);
  }

  private clearScope(s: Uint8Array, sp: string): void {
    for (const i of this.innerFlows.get(sp) ?? []) s[i] = 0;
    for (const i of this.innerSubs.get(sp) ?? []) s[i] = 0;
  }

  /** True when some flow carries two tokens. */
  unsafe(s: Uint8Array): boolean {
    for (let i = 0; i < this.net.flows.length; i += 1) if ((s[i] ?? 0) >= CAP) return true;
    return false;
  }

  isFinal(s: Uint8Array): boolean {
    for (let i = 0; i < this.endsAt; i += 1) if (s[i] !== 0) return false;
    return true;
  }

  ends(s: Uint8Array): number {
    return s[this.endsAt] ?? 0;
  }

  successors(s: Uint8Array): Step[] {
    const steps: Step[] = [];
    const marked = (f: string): boolean => (s[this.idx(f)] ?? 0) > 0;
    const take = (f: string): Uint8Array => {
      const next = s.slice();
      const i = this.idx(f);
      next[i] = (next[i] ?? 1) - 1;
      return next;
    };
    const emit = (label: string, next: Uint8Array, doubled: string | undefined): void => {
      steps.push({ label, next, doubled });
    };
    // Only nodes with a token waiting (or a running subprocess) can fire.
    const candidates = new Set<NetNode>();
    for (let i = 0; i < this.net.flows.length; i += 1) {
      if ((s[i] ?? 0) === 0) continue;
      const target = this.targetOf[i];
      if (target) candidates.add(target);
    }
    for (const [id, slot] of this.subIndex) {
      const sp = this.nodeById.get(id);
      if (sp && (s[slot] ?? 0) > 0) candidates.add(sp);
    }
    for (const n of candidates) {
      switch (n.kind) {
        case 'start':
          break;
        case 'end':
        case 'terminate':
          for (const f of n.incoming.filter(marked)) {
            const next = take(f);
            if (n.kind === 'terminate') {
              if (n.scope === undefined) next.fill(0, 0, this.endsAt);
              else this.clearScope(next, n.scope);
            }
            this.ended(next, n);
            emit(n.id, next, undefined);
          }
          break;
        case 'activity':
          for (const f of n.incoming.filter(marked)) {
            const next = take(f);
            if (n.outgoing.length === 0) this.ended(next, n);
            const doubledOut = this.produce(next, n.outgoing);
            emit(n.id, next, doubledOut);
            for (const b of n.boundaries) {
              const alt = take(f);
              let doubled = this.produce(alt, b.outgoing);
              if (!b.interrupting) doubled = this.produce(alt, n.outgoing) ?? doubled;
              emit(b.id, alt, doubled);
            }
          }
          break;
        case 'subprocess': {
          const active = this.subIndex.get(n.id) ?? -1;
          for (const f of n.incoming.filter(marked)) {
            const next = take(f);
            next[active] = Math.min(CAP, (next[active] ?? 0) + 1);
            let doubled: string | undefined;
            for (const st of this.net.nodes) if (st.kind === 'start' && st.scope === n.id) doubled = this.produce(next, st.outgoing) ?? doubled;
            emit(n.id, next, doubled);
          }
          if ((s[active] ?? 0) > 0) {
            const inner = this.innerFlows.get(n.id) ?? [];
            const innerSubs = (this.innerSubs.get(n.id) ?? []).filter((i) => this.net.nodes.some((m) => this.subIndex.get(m.id) === i));
            if (inner.every((i) => s[i] === 0) && innerSubs.every((i) => s[i] === 0)) {
              const next = s.slice();
              next[active] = (next[active] ?? 1) - 1;
              for (const b of n.boundaries) if (!b.interrupting) next[this.boundaryFlag.get(b.id) ?? -1] = 0;
              emit(`${n.id}:completed`, next, this.produce(next, n.outgoing));
            }
            for (const b of n.boundaries) {
              const next = s.slice();
              if (b.interrupting) {
                this.clearScope(next, n.id);
                next[active] = (next[active] ?? 1) - 1;
                for (const x of n.boundaries) if (!x.interrupting) next[this.boundaryFlag.get(x.id) ?? -1] = 0;
                emit(b.id, next, this.produce(next, b.outgoing));
              } else {
                const flag = this.boundaryFlag.get(b.id) ?? -1;
                if (s[flag] !== 0) continue;
                next[flag] = 1;
                emit(b.id, next, this.produce(next, b.outgoing));
              }
            }
          }
          break;
        }
        case 'xor':
          for (const f of n.incoming.filter(marked)) {
            if (n.outgoing.length === 0) {
              const next = take(f);
              this.ended(next, n);
              emit(n.id, next, undefined);
            }
            for (const o of n.outgoing) {
              const next = take(f);
              emit(`${n.id}→${o}`, next, this.add(next, o));
            }
          }
          break;
        case 'and': {
          if (n.incoming.length === 0 || !n.incoming.every(marked)) break;
          const next = s.slice();
          for (const f of n.incoming) next[this.idx(f)] = (next[this.idx(f)] ?? 1) - 1;
          emit(n.id, next, this.produce(next, n.outgoing));
          break;
        }
        case 'or': {
          const present = n.incoming.filter(marked);
          if (present.length === 0) break;
          const waits = this.orWaits.get(n.id);
          const blocked = n.incoming
            .filter((f) => !marked(f))
            .some((f) => [...(waits?.get(this.idx(f)) ?? [])].some((u) => (s[u] ?? 0) > 0));
          if (blocked) break;
          const base = s.slice();
          for (const f of present) base[this.idx(f)] = (base[this.idx(f)] ?? 1) - 1;
          const outs = n.outgoing.slice(0, 8);
          if (outs.length === 0) {
            emit(n.id, base, undefined);
            break;
          }
          for (let mask = 1; mask < 1 << outs.length; mask += 1) {
            const next = base.slice();
            const chosen = outs.filter((_, i) => (mask & (1 << i)) !== 0);
            emit(`${n.id}→${chosen.join('+')}`, next, this.produce(next, chosen));
          }
          break;
        }
      }
    }
    return steps;
  }

  /** The element ids waiting for something in a stuck state: the targets of marked flows. */
  waitingAt(s: Uint8Array): string[] {
    const out = new Set<string>();
    this.net.flows.forEach((f, i) => {
      if ((s[i] ?? 0) > 0) out.add(f.target);
    });
    return [...out];
  }

  /** Parallel (or inclusive) joins that hold some but not all of their tokens in a stuck state. */
  partialJoins(s: Uint8Array): string[] {
    return this.net.nodes
      .filter((n) => (n.kind === 'and' || n.kind === 'or') && n.incoming.length > 1)
      .filter((n) => {
        const have = n.incoming.filter((f) => (s[this.idx(f)] ?? 0) > 0).length;
        return have > 0 && have < n.incoming.length;
      })
      .map((n) => n.id);
  }

  node(id: string): NetNode | undefined {
    return this.nodeById.get(id.split(/[→:]/)[0] ?? id);
  }
}

const keyOf = (s: Uint8Array): string => String.fromCharCode(...s);

/** Checks one net. */
export function exploreNet(net: Net, options: ExploreOptions = {}): { problems: SoundnessProblem[]; states: number } {
  const maxStates = options.maxStates ?? 200_000;
  const ex = new Explorer(net);
  const problems: SoundnessProblem[] = [];
  const report = (kind: ProblemKind, message: string, elements: string[], path: string[]): void => {
    problems.push({ kind, net: net.id, message, elements, path });
  };
  const initial = ex.initialStates();
  if (initial.length === 0) {
    report('no-start', `${net.id} has no none start event at its top level`, [net.id], []);
    return { problems, states: 0 };
  }

  const states: Uint8Array[] = [];
  const index = new Map<string, number>();
  const parent: number[] = [];
  const via: string[] = [];
  const successors: number[][] = [];
  const fired = new Set<string>();
  const doubledFlows = new Set<string>();
  let improper = false;
  const visit = (state: Uint8Array, from: number, label: string): number => {
    const key = keyOf(state);
    const known = index.get(key);
    if (known !== undefined) return known;
    const id = states.length;
    states.push(state);
    index.set(key, id);
    parent.push(from);
    via.push(label);
    successors.push([]);
    return id;
  };
  const pathTo = (id: number): string[] => {
    const out: string[] = [];
    for (let cur = id; cur >= 0; cur = parent[cur] ?? -1) out.push(via[cur] ?? '?');
    return out.reverse();
  };

  for (const { label, state } of initial) {
    fired.add(label);
    visit(state, -1, label);
  }
  let limited = false;
  for (let cur = 0; cur < states.length; cur += 1) {
    if (states.length >= maxStates) {
      limited = true;
      break;
    }
    // An unsafe model (two tokens on a flow) has a state space that grows with every extra token: once one is found
    // and the space is large, stop; the problems found already make the model unsound and carry their paths.
    if (doubledFlows.size > 0 && states.length > UNSAFE_STOP) return { problems, states: states.length };
    const state = states[cur];
    // A state with two tokens on one flow is already reported (lack of synchronisation); exploring on from it only
    // multiplies tokens and states, so it is not expanded (nor counted as stuck).
    if (ex.unsafe(state)) continue;
    for (const step of ex.successors(state)) {
      fired.add(step.label.split(/[→]/)[0] ?? step.label);
      const next = visit(step.next, cur, step.label);
      (successors[cur]).push(next);
      if (step.doubled && !doubledFlows.has(step.doubled) && doubledFlows.size < 5) {
        doubledFlows.add(step.doubled);
        const target = net.flows.find((f) => f.id === step.doubled)?.target ?? '?';
        report(
          'lack-of-synchronization',
          `sequence flow ${step.doubled} into ${describe(ex.node(target))} can carry two tokens at once (parallel branches merged without a parallel join): it would run twice`,
          [step.doubled, target],
          pathTo(next),
        );
      }
      if (!improper && ex.ends(step.next) >= 2) {
        improper = true;
        report('improper-completion', `${net.id} reaches an end event twice in one run (e.g. two decisions for one case)`, [step.label], pathTo(next));
      }
    }
  }
  if (limited) {
    report('state-space-limit', `${net.id}: stopped after ${maxStates} states; the model could not be proven sound`, [net.id], []);
    return { problems, states: states.length };
  }

  // Backward reachability: which states can still reach the final (empty) state, and which can reach a deadlock.
  const predecessors: number[][] = states.map(() => []);
  successors.forEach((outs, from) => outs.forEach((to) => (predecessors[to]).push(from)));
  const backFrom = (seeds: number[]): Uint8Array => {
    const mark = new Uint8Array(states.length);
    const queue = [...seeds];
    for (const s of seeds) mark[s] = 1;
    while (queue.length > 0) {
      const cur = queue.pop() as number;
      for (const p of predecessors[cur] ?? []) {
        if (mark[p]) continue;
        mark[p] = 1;
        queue.push(p);
      }
    }
    return mark;
  };
  const finals = states.map((s, i) => (ex.isFinal(s) ? i : -1)).filter((i) => i >= 0);
  const stuck = states.map((s, i) => (!ex.isFinal(s) && !ex.unsafe(s) && (successors[i] ?? []).every((j) => j === i) ? i : -1)).filter((i) => i >= 0);
  const canFinish = backFrom(finals);
  const canStick = backFrom(stuck);

  const seenSignatures = new Set<string>();
  for (const id of stuck) {
    const state = states[id];
    const joins = ex.partialJoins(state);
    const waiting = ex.waitingAt(state);
    const signature = [...joins, '|', ...waiting].join(',');
    if (seenSignatures.has(signature) || seenSignatures.size >= 5) continue;
    seenSignatures.add(signature);
    if (joins.length > 0) {
      report(
        'unmatched-parallel-join',
        `deadlock: ${joins.map((j) => describe(ex.node(j))).join(', ')} waits for a token that can never come (the join does not match its split)`,
        joins,
        pathTo(id),
      );
    } else {
      report('deadlock', `deadlock: tokens wait at ${waiting.map((w) => describe(ex.node(w))).join(', ')} and nothing can move`, waiting, pathTo(id));
    }
  }
  const trapped = states.findIndex((st, i) => !canFinish[i] && !canStick[i] && !ex.unsafe(st));
  if (trapped >= 0) {
    const waiting = ex.waitingAt(states[trapped]);
    report('livelock', `livelock: from here the case loops through ${waiting.map((w) => describe(ex.node(w))).join(', ')} and can never reach an end`, waiting, pathTo(trapped));
  }

  for (const n of net.nodes) {
    if (n.kind !== 'activity' && n.kind !== 'subprocess' && n.kind !== 'end' && n.kind !== 'terminate') continue;
    if (fired.has(n.id)) continue;
    report('dead-element', `${describe(n)} can never run: no path from the start reaches it`, [n.id], []);
  }
  return { problems, states: states.length };
}

function describe(n: NetNode | undefined): string {
  if (!n) return '?';
  return n.name ? `${n.id} (${n.name})` : n.id;
}

/** Checks every net (a process and its event subprocesses). Sound when no net has a problem. */
export function checkSoundness(nets: Net[], options: ExploreOptions = {}): SoundnessReport {
  const problems: SoundnessProblem[] = [];
  const states: Record<string, number> = {};
  for (const net of nets) {
    const result = exploreNet(net, options);
    problems.push(...result.problems);
    states[net.id] = result.states;
  }
  return { sound: problems.length === 0, problems, states };
}

/** One line per problem, with its path: for an HTTP 400 body or a CI log. */
export function formatReport(report: SoundnessReport): string {
  if (report.sound) return 'sound';
  return report.problems
    .map((p) => `[${p.kind}] ${p.net}: ${p.message}${p.path.length > 0 ? `\n    path: ${p.path.join(' → ')}` : ''}`)
    .join('\n');
}
