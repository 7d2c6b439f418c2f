/**
 * Adds a diagram (BPMN DI) to flows written as process XML, so that every file in bpmn/ opens in Camunda Modeler and
 * passes bpmnlint's no-bpmndi / no-overlapping-elements. Layered layout: each element's column is its longest distance
 * from a start (back edges of return loops ignored), rows in document order; event subprocesses go below their parent.
 * Any existing diagram is replaced. Run: `npx tsx bpmn/tools/layout.ts bpmn/<file>.bpmn ...` (rewrites in place).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { bpmnModdle, parseBpmn, writeBpmn } from '@gov/soundness';

interface El {
  $type: string;
  id: string;
  flowElements?: El[];
  sourceRef?: El;
  targetRef?: El;
  attachedToRef?: El;
  triggeredByEvent?: boolean;
}
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
type Moddle = ReturnType<typeof bpmnModdle>;
type Create = (type: string, attrs: Record<string, unknown>) => unknown;

const COL = 170;
const ROW = 130;
const PAD = 40;

function sizeOf(el: El): { width: number; height: number } {
  if (el.$type.endsWith('Gateway')) return { width: 50, height: 50 };
  if (el.$type.endsWith('Event')) return { width: 36, height: 36 };
  return { width: 100, height: 80 };
}

class Layout {
  readonly shapes: unknown[] = [];
  readonly edges: unknown[] = [];
  readonly boxes = new Map<string, Box>();

  constructor(private readonly create: Create) {}

  /** Lays out one container's elements with its top-left at (x0, y0); returns the size used. */
  container(elements: El[], x0: number, y0: number): { width: number; height: number } {
    const flows = elements.filter((e) => e.$type === 'bpmn:SequenceFlow');
    const boundaries = elements.filter((e) => e.$type === 'bpmn:BoundaryEvent');
    const eventSubs = elements.filter((e) => e.$type === 'bpmn:SubProcess' && e.triggeredByEvent);
    const nodes = elements.filter((e) => !flows.includes(e) && !boundaries.includes(e) && !eventSubs.includes(e) && e.$type !== 'bpmn:DataObject' && e.$type !== 'bpmn:DataObjectReference');
    const hostOf = new Map(boundaries.map((b) => [b.id, b.attachedToRef?.id ?? '']));
    const from = (f: El): string => hostOf.get(f.sourceRef?.id ?? '') ?? f.sourceRef?.id ?? '';
    const succ = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
    for (const f of flows) succ.get(from(f))?.push(f.targetRef?.id ?? '');
    // Back edges by depth-first search from the starts, so return loops do not push columns to the right.
    const back = new Set<string>();
    const state = new Map<string, 1 | 2>();
    const dfs = (id: string): void => {
      state.set(id, 1);
      for (const t of succ.get(id) ?? []) {
        if (state.get(t) === 1) back.add(`${id}>${t}`);
        else if (!state.has(t)) dfs(t);
      }
      state.set(id, 2);
    };
    const incomingCount = new Map<string, number>(nodes.map((n) => [n.id, 0]));
    for (const f of flows) incomingCount.set(f.targetRef?.id ?? '', (incomingCount.get(f.targetRef?.id ?? '') ?? 0) + 1);
    for (const n of nodes) if (n.$type === 'bpmn:StartEvent' || incomingCount.get(n.id) === 0) if (!state.has(n.id)) dfs(n.id);
    for (const n of nodes) if (!state.has(n.id)) dfs(n.id);
    const col = new Map<string, number>(nodes.map((n) => [n.id, 0]));
    for (let round = 0; round < nodes.length; round += 1) {
      let changed = false;
      for (const [s, ts] of succ) {
        for (const t of ts) {
          if (back.has(`${s}>${t}`)) continue;
          const want = (col.get(s) ?? 0) + 1;
          if ((col.get(t) ?? 0) >= want) continue;
          col.set(t, want);
          changed = true;
        }
      }
      if (!changed) break;
    }
    // Inner sizes first (an expanded subprocess is as big as its content).
    const inner = new Map<string, { width: number; height: number }>();
    const rowsUsed = new Map<number, number>();
    const place = new Map<string, { c: number; r: number }>();
    for (const n of nodes) {
      const c = col.get(n.id) ?? 0;
      const r = rowsUsed.get(c) ?? 0;
      place.set(n.id, { c, r });
      rowsUsed.set(c, r + 1);
    }
    let width = 0;
    let height = 0;
    const colX: number[] = [];
    const maxCol = Math.max(0, ...col.values());
    for (let c = 0, x = x0; c <= maxCol; c += 1) {
      colX[c] = x;
      const wide = nodes.filter((n) => place.get(n.id)?.c === c && n.$type === 'bpmn:SubProcess');
      x += COL + Math.max(0, ...wide.map((n) => (inner.get(n.id)?.width ?? this.measure(n, inner).width) - 100));
    }
    for (const n of nodes) {
      const p = place.get(n.id) ?? { c: 0, r: 0 };
      const size = n.$type === 'bpmn:SubProcess' ? (inner.get(n.id) ?? this.measure(n, inner)) : sizeOf(n);
      const rowTop = y0 + p.r * ROW + nodes.filter((m) => place.get(m.id)?.c === p.c && (place.get(m.id)?.r ?? 0) < p.r && m.$type === 'bpmn:SubProcess').reduce((a, m) => a + (inner.get(m.id)?.height ?? 0), 0);
      const box: Box = {
        x: (colX[p.c] ?? x0) + (n.$type === 'bpmn:SubProcess' ? 0 : (100 - size.width) / 2),
        y: rowTop + (n.$type === 'bpmn:SubProcess' ? 0 : (80 - size.height) / 2),
        width: size.width,
        height: size.height,
      };
      this.shape(n, box, n.$type === 'bpmn:SubProcess');
      if (n.$type === 'bpmn:SubProcess') this.container(n.flowElements ?? [], box.x + PAD, box.y + PAD);
      width = Math.max(width, box.x + box.width - x0);
      height = Math.max(height, box.y + box.height - y0);
    }
    boundaries.forEach((b) => {
      const host = this.boxes.get(b.attachedToRef?.id ?? '');
      if (!host) return;
      const siblings = boundaries.filter((o) => o.attachedToRef?.id === b.attachedToRef?.id);
      const i = siblings.indexOf(b);
      this.shape(b, { x: host.x + 10 + i * 40, y: host.y + host.height - 18, width: 36, height: 36 }, false);
    });
    // Event subprocesses in a row below.
    let ex = x0;
    const ey = y0 + height + 60;
    let eh = 0;
    for (const s of eventSubs) {
      const size = this.measure(s, inner);
      this.shape(s, { x: ex, y: ey, width: size.width, height: size.height }, true);
      this.container(s.flowElements ?? [], ex + PAD, ey + PAD);
      ex += size.width + 40;
      eh = Math.max(eh, size.height);
    }
    if (eventSubs.length > 0) {
      width = Math.max(width, ex - x0);
      height = ey - y0 + eh;
    }
    for (const f of flows) this.edge(f);
    return { width, height };
  }

  private measure(sub: El, cache: Map<string, { width: number; height: number }>): { width: number; height: number } {
    const probe = new Layout(() => ({}));
    const size = probe.container(sub.flowElements ?? [], 0, 0);
    const out = { width: size.width + 2 * PAD, height: size.height + 2 * PAD };
    cache.set(sub.id, out);
    return out;
  }

  private shape(el: El, box: Box, expanded: boolean): void {
    this.boxes.set(el.id, box);
    this.shapes.push(
      this.create('bpmndi:BPMNShape', {
        id: `${el.id}_di`,
        bpmnElement: el,
        ...(expanded ? { isExpanded: true } : {}),
        bounds: this.create('dc:Bounds', { x: Math.round(box.x), y: Math.round(box.y), width: box.width, height: box.height }),
      }),
    );
  }

  private edge(f: El): void {
    const s = this.boxes.get(f.sourceRef?.id ?? '');
    const t = this.boxes.get(f.targetRef?.id ?? '');
    if (!s || !t) return;
    const pt = (x: number, y: number): unknown => this.create('dc:Point', { x: Math.round(x), y: Math.round(y) });
    let points: unknown[];
    if (t.x > s.x + s.width / 2) {
      const sy = s.y + s.height / 2;
      const ty = t.y + t.height / 2;
      const midX = s.x + s.width + (t.x - s.x - s.width) / 2;
      points = sy === ty ? [pt(s.x + s.width, sy), pt(t.x, ty)] : [pt(s.x + s.width, sy), pt(midX, sy), pt(midX, ty), pt(t.x, ty)];
    } else {
      // A loop back (return, correction): below both shapes.
      const low = Math.max(s.y + s.height, t.y + t.height) + 25;
      points = [pt(s.x + s.width / 2, s.y + s.height), pt(s.x + s.width / 2, low), pt(t.x + t.width / 2, low), pt(t.x + t.width / 2, t.y + t.height)];
    }
    this.edges.push(this.create('bpmndi:BPMNEdge', { id: `${f.id}_di`, bpmnElement: f, waypoint: points }));
  }
}

/** Fills every node's incoming/outgoing from the sequence flows (bpmnlint reads them; the source XML may omit them). */
function normaliseRefs(elements: El[]): void {
  for (const root of elements) {
    const all: El[] = [];
    const gather = (els: El[] | undefined): void => {
      for (const e of els ?? []) {
        all.push(e);
        gather(e.flowElements);
      }
    };
    gather(root.flowElements);
    for (const e of all) if (e.$type !== 'bpmn:SequenceFlow') Object.assign(e, { incoming: [], outgoing: [] });
    for (const f of all.filter((e) => e.$type === 'bpmn:SequenceFlow')) {
      (f.sourceRef as unknown as { outgoing: El[] }).outgoing.push(f);
      (f.targetRef as unknown as { incoming: El[] }).incoming.push(f);
    }
  }
}

async function layout(file: string): Promise<void> {
  const { definitions, warnings } = await parseBpmn(readFileSync(file, 'utf8'));
  if (warnings.length > 0) throw new Error(`${file}: ${warnings.join('; ')}`);
  normaliseRefs(definitions.rootElements as unknown as El[]);
  const moddle: Moddle = bpmnModdle();
  const create = (type: string, attrs: Record<string, unknown>): unknown => (moddle as unknown as { create: Create }).create(type, attrs);
  const diagrams: unknown[] = [];
  for (const root of definitions.rootElements as unknown as El[]) {
    if (root.$type !== 'bpmn:Process') continue;
    const l = new Layout(create);
    l.container(root.flowElements ?? [], 160, 80);
    diagrams.push(
      create('bpmndi:BPMNDiagram', {
        id: `Diagram_${root.id}`,
        plane: create('bpmndi:BPMNPlane', { id: `Plane_${root.id}`, bpmnElement: root, planeElement: [...l.shapes, ...l.edges] }),
      }),
    );
  }
  (definitions as unknown as { diagrams: unknown[] }).diagrams = diagrams;
  writeFileSync(file, await writeBpmn(definitions));
  process.stdout.write(`laid out ${file}\n`);
}

async function main(): Promise<void> {
  for (const file of process.argv.slice(2)) await layout(file);
}

void main();
