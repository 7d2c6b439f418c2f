// NetworkPolicy evaluation (the Kubernetes semantics: a pod selected by no policy of a direction is open in that
// direction; otherwise a connection needs an allowing rule on the source's egress AND the destination's ingress).
import { type Container, type NetworkPolicyObject, type NetworkPolicyPeer, type NetworkPolicyPort, type Workload, isNetworkPolicy, isWorkload, podLabels, selectorMatches } from './k8s-types';
import type { K8sObject } from './yaml-docs';

/** One end of a connection. `pod` for pods of a workload in the manifests' namespace. */
export type Endpoint =
  | { type: 'pod'; name: string; labels: Record<string, string>; containers: Container[] }
  | { type: 'namespace'; namespaceLabels: Record<string, string> }
  | { type: 'external' };

export function podEndpoint(w: Workload): Endpoint {
  return { type: 'pod', name: w.metadata.name, labels: podLabels(w), containers: w.spec.template.spec.containers };
}

function peerMatches(peer: NetworkPolicyPeer, other: Endpoint, ownNamespaceLabels: Record<string, string>): boolean {
  if (peer.ipBlock) return other.type === 'external' && peer.ipBlock.cidr === '0.0.0.0/0' && !(peer.ipBlock.except ?? []).length;
  if (other.type === 'external') return false;
  const nsLabels = other.type === 'pod' ? ownNamespaceLabels : other.namespaceLabels;
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, nsLabels)) return false;
    // pods of another namespace: the pod selector must match them; our model has no labels for those pods
    if (other.type === 'namespace') return !peer.podSelector || Object.keys(peer.podSelector).length === 0;
    return peer.podSelector ? selectorMatches(peer.podSelector, other.labels) : true;
  }
  // podSelector alone selects pods of the policy's own namespace
  if (other.type !== 'pod') return false;
  return selectorMatches(peer.podSelector, other.labels);
}

function portMatches(ports: NetworkPolicyPort[] | undefined, port: number, dst: Endpoint): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== 'TCP') return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return p.port === port;
    return dst.type === 'pod' && dst.containers.some((c) => (c.ports ?? []).some((cp) => cp.name === p.port && cp.containerPort === port));
  });
}

function types(p: NetworkPolicyObject): ('Ingress' | 'Egress')[] {
  if (p.spec.policyTypes) return p.spec.policyTypes;
  return p.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

export class PolicyModel {
  private readonly policies: NetworkPolicyObject[];
  constructor(
    objects: K8sObject[],
    /** Labels of the namespace the manifests are applied to (kubernetes.io/metadata.name is added automatically). */
    private readonly namespaceLabels: Record<string, string> = {},
  ) {
    this.policies = objects.filter(isNetworkPolicy);
  }

  private selecting(pod: Endpoint, type: 'Ingress' | 'Egress'): NetworkPolicyObject[] {
    if (pod.type !== 'pod') return [];
    return this.policies.filter((p) => types(p).includes(type) && selectorMatches(p.spec.podSelector, pod.labels));
  }

  egressAllowed(src: Endpoint, dst: Endpoint, port: number): boolean {
    if (src.type !== 'pod') return true;
    const ps = this.selecting(src, 'Egress');
    if (ps.length === 0) return true;
    return ps.some((p) => (p.spec.egress ?? []).some((r) => (!r.to || r.to.length === 0 || r.to.some((peer) => peerMatches(peer, dst, this.namespaceLabels))) && portMatches(r.ports, port, dst)));
  }

  ingressAllowed(src: Endpoint, dst: Endpoint, port: number): boolean {
    if (dst.type !== 'pod') return true;
    const ps = this.selecting(dst, 'Ingress');
    if (ps.length === 0) return true;
    return ps.some((p) => (p.spec.ingress ?? []).some((r) => (!r.from || r.from.length === 0 || r.from.some((peer) => peerMatches(peer, src, this.namespaceLabels))) && portMatches(r.ports, port, dst)));
  }

  allowed(src: Endpoint, dst: Endpoint, port: number): boolean {
    return this.egressAllowed(src, dst, port) && this.ingressAllowed(src, dst, port);
  }
}

/**
 * DESIGN.md's "talks to" column as connections inside the namespace (plus Kafka, PostgreSQL and the engine):
 * every service verifies identity's tokens (JWKS); intake asks approval to start cases; approval uses Camunda REST and
 * external tasks; every service produces/consumes Kafka events. Everything else between workloads is refused.
 */
export const EXPECTED_CONNECTIONS: ReadonlyArray<readonly [string, string]> = [
  ['intake', 'identity'],
  ['approval', 'identity'],
  ['supervision', 'identity'],
  ['intake', 'approval'],
  ['approval', 'engine'],
  ['supervision', 'engine'],
  ['identity', 'kafka'],
  ['intake', 'kafka'],
  ['approval', 'kafka'],
  ['supervision', 'kafka'],
];
/** Workloads that reach the external PostgreSQL (5432). */
export const DATABASE_CLIENTS = ['identity', 'intake', 'approval', 'supervision', 'engine'];
/** Workloads users reach through the ingress controller (namespace ingress-nginx). */
export const PUBLIC_HTTP = ['identity', 'intake', 'approval', 'supervision', 'engine'];

export interface NetpolExpectations {
  connections: ReadonlyArray<readonly [string, string]>;
  databaseClients: string[];
  publicHttp: string[];
  ports: Readonly<Record<string, number>>;
  namespaceLabels?: Record<string, string>;
}

/** Compares what the policies allow with the expectations, for every ordered pair of workloads. */
export function checkNetworkPolicies(objects: K8sObject[], exp: NetpolExpectations): string[] {
  const problems: string[] = [];
  const model = new PolicyModel(objects, exp.namespaceLabels);
  const ws = objects.filter(isWorkload);
  if (!objects.some((o) => isNetworkPolicy(o) && Object.keys(o.spec.podSelector).length === 0 && types(o).length === 2 && !o.spec.ingress && !o.spec.egress)) {
    problems.push('no default-deny NetworkPolicy (podSelector {}, Ingress+Egress, no rules)');
  }
  const want = new Set(exp.connections.map(([a, b]) => `${a}->${b}`));
  for (const src of ws) {
    for (const dst of ws) {
      if (src === dst) continue;
      const port = exp.ports[dst.metadata.name];
      if (port === undefined) continue;
      const edge = `${src.metadata.name}->${dst.metadata.name}`;
      const ok = model.allowed(podEndpoint(src), podEndpoint(dst), port);
      if (ok && !want.has(edge)) problems.push(`${edge}:${port} is allowed but DESIGN.md implies no such connection`);
      if (!ok && want.has(edge)) problems.push(`${edge}:${port} is needed (DESIGN.md) but the policies refuse it`);
    }
    const db = model.allowed(podEndpoint(src), { type: 'external' }, 5432);
    const needsDb = exp.databaseClients.includes(src.metadata.name);
    if (db !== needsDb) problems.push(`${src.metadata.name}->postgres:5432 is ${db ? 'allowed' : 'refused'} but should be ${needsDb ? 'allowed' : 'refused'}`);
    const dnsPeer: Endpoint = { type: 'namespace', namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' } };
    const dnsOk = model.egressAllowed(podEndpoint(src), dnsPeer, 53) || dnsEgressToKubeDns(objects, src);
    if (!dnsOk) problems.push(`${src.metadata.name}: no egress to cluster DNS (53)`);
    const port = exp.ports[src.metadata.name];
    if (port !== undefined) {
      const ingressNs: Endpoint = { type: 'namespace', namespaceLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } };
      const pub = model.ingressAllowed(ingressNs, podEndpoint(src), port);
      const wantPub = exp.publicHttp.includes(src.metadata.name);
      if (pub !== wantPub) problems.push(`ingress controller -> ${src.metadata.name}:${port} is ${pub ? 'allowed' : 'refused'} but should be ${wantPub ? 'allowed' : 'refused'}`);
    }
  }
  return problems;
}

/** DNS rules usually select kube-dns pods in any namespace (namespaceSelector {} + podSelector k8s-app=kube-dns). */
function dnsEgressToKubeDns(objects: K8sObject[], src: Workload): boolean {
  return objects.filter(isNetworkPolicy).some(
    (p) =>
      types(p).includes('Egress') &&
      selectorMatches(p.spec.podSelector, podLabels(src)) &&
      (p.spec.egress ?? []).some(
        (r) =>
          (r.ports ?? []).some((pt) => pt.port === 53) &&
          (r.to ?? []).some((peer) => peer.namespaceSelector !== undefined && selectorMatches(peer.podSelector, { 'k8s-app': 'kube-dns' })),
      ),
  );
}
