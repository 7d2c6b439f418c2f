// Just enough typing for the BPMN toolchain (bpmn-moddle 10, bpmnlint 11) as the checks use it.
declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, type?: string): Promise<{ rootElement: import('./rules').Definitions; warnings: { message: string }[] }>;
    toXML(element: unknown, options?: { format?: boolean }): Promise<{ xml: string }>;
  }
}
declare module 'bpmnlint/lib/linter' {
  export default class Linter {
    constructor(options: { config: Record<string, unknown>; resolver: unknown });
    lint(definitions: unknown): Promise<Record<string, { id: string; message: string; category: string }[]>>;
  }
}
declare module 'bpmnlint/lib/resolver/node-resolver' {
  export default class NodeResolver {}
}
declare module 'camunda-bpmn-moddle/resources/camunda.json' {
  const camunda: Record<string, unknown>;
  export default camunda;
}
