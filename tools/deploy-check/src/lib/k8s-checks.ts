// Cross-reference and policy checks over rendered manifests. Each returns a list of problems (empty = pass).
import type { Deployable } from './config-keys';
import {
  type Container,
  type Probe,
  type Workload,
  isConfigMap,
  isPdb,
  isService,
  isWorkload,
  mapSelectorMatches,
  podLabels,
  selectorMatches,
} from './k8s-types';
import type { K8sObject } from './yaml-docs';

export const SECRET_NAME_RE = /(PASSWORD|SECRET|KEK|TOKEN|PRIVATE|CREDENTIAL)/i;

function workloads(objects: K8sObject[]): Workload[] {
  return objects.filter(isWorkload);
}

function allContainers(w: Workload): Container[] {
  return [...(w.spec.template.spec.initContainers ?? []), ...w.spec.template.spec.containers];
}

/** Every Service selector selects the pods of some Deployment/StatefulSet, and its targetPort exists there. */
export function checkServiceSelectors(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const s of objects.filter(isService)) {
    if (s.spec.type === 'ExternalName') continue;
    const selector = s.spec.selector ?? {};
    if (Object.keys(selector).length === 0) {
      problems.push(`Service/${s.metadata.name}: no selector`);
      continue;
    }
    const targets = workloads(objects).filter((w) => mapSelectorMatches(selector, podLabels(w)));
    if (targets.length === 0) {
      problems.push(`Service/${s.metadata.name}: selector ${JSON.stringify(selector)} matches no Deployment/StatefulSet pod labels`);
      continue;
    }
    for (const p of s.spec.ports ?? []) {
      const target = p.targetPort ?? p.port;
      for (const w of targets) {
        const ports = w.spec.template.spec.containers.flatMap((c) => c.ports ?? []);
        const ok = typeof target === 'number' ? ports.some((cp) => cp.containerPort === target) : ports.some((cp) => cp.name === target);
        if (!ok) problems.push(`Service/${s.metadata.name}: targetPort ${String(target)} is not a container port of ${w.kind}/${w.metadata.name}`);
      }
    }
  }
  return problems;
}

/** Every workload's own selector matches its pod template; PDB selectors match a workload; every Deployment has a PDB. */
export function checkSelectorsAndPdbs(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const w of workloads(objects)) {
    if (!selectorMatches(w.spec.selector, podLabels(w))) problems.push(`${w.kind}/${w.metadata.name}: spec.selector does not match its pod template labels`);
  }
  const pdbs = objects.filter(isPdb);
  for (const p of pdbs) {
    if (!workloads(objects).some((w) => selectorMatches(p.spec.selector, podLabels(w)))) {
      problems.push(`PodDisruptionBudget/${p.metadata.name}: selector matches no workload`);
    }
  }
  for (const w of workloads(objects).filter((x) => x.kind === 'Deployment')) {
    if (!pdbs.some((p) => p.spec.selector && selectorMatches(p.spec.selector, podLabels(w)))) {
      problems.push(`Deployment/${w.metadata.name}: no PodDisruptionBudget`);
    }
  }
  return problems;
}

interface ResolvedEnv {
  value?: string;
  fromSecret: boolean;
  source: string;
}

/** The environment a container gets: envFrom ConfigMaps (which must exist) then env entries. */
export function containerEnv(objects: K8sObject[], w: Workload, c: Container, problems: string[]): Map<string, ResolvedEnv> {
  const env = new Map<string, ResolvedEnv>();
  for (const ef of c.envFrom ?? []) {
    if (ef.secretRef) {
      problems.push(`${w.kind}/${w.metadata.name}: envFrom secretRef ${ef.secretRef.name} hides which variables are set; use env[].valueFrom.secretKeyRef`);
    }
    if (ef.configMapRef) {
      const cm = objects.filter(isConfigMap).find((o) => o.metadata.name === ef.configMapRef?.name);
      if (!cm) {
        problems.push(`${w.kind}/${w.metadata.name}: envFrom ConfigMap ${ef.configMapRef.name} does not exist`);
        continue;
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) env.set(k, { value: v, fromSecret: false, source: `ConfigMap/${cm.metadata.name}` });
    }
  }
  for (const e of c.env ?? []) {
    if (e.valueFrom?.configMapKeyRef) {
      const ref = e.valueFrom.configMapKeyRef;
      const cm = objects.filter(isConfigMap).find((o) => o.metadata.name === ref.name);
      if (!cm || cm.data?.[ref.key] === undefined) problems.push(`${w.kind}/${w.metadata.name}: ${e.name} refers to missing ConfigMap key ${ref.name}/${ref.key}`);
    }
    env.set(e.name, { value: e.value, fromSecret: Boolean(e.valueFrom?.secretKeyRef), source: 'env' });
  }
  return env;
}

/** Every variable a workload sets is read by that program (its config schema), and secrets only come from Secrets. */
export function checkEnv(objects: K8sObject[], deployables: Record<string, Deployable>): string[] {
  const problems: string[] = [];
  for (const w of workloads(objects)) {
    const d = deployables[w.metadata.name];
    if (!d) {
      problems.push(`${w.kind}/${w.metadata.name}: no known configuration schema for this workload`);
      continue;
    }
    for (const c of w.spec.template.spec.containers) {
      for (const [name, e] of containerEnv(objects, w, c, problems)) {
        if (!d.envKeys.has(name)) problems.push(`${w.kind}/${w.metadata.name}: ${name} (${e.source}) is not in ${w.metadata.name}'s configuration schema`);
        if (SECRET_NAME_RE.test(name) && !e.fromSecret) problems.push(`${w.kind}/${w.metadata.name}: ${name} looks secret but is not a secretKeyRef (${e.source})`);
      }
    }
  }
  return problems;
}

function probePort(c: Container, p: Probe): number | undefined {
  const port = p.httpGet?.port ?? p.tcpSocket?.port;
  if (typeof port === 'number') return port;
  return c.ports?.find((cp) => cp.name === port)?.containerPort;
}

/**
 * Container port = the port the program is configured to listen on (its <APP>_PORT from the rendered env, else the
 * schema default) = DESIGN.md's port; liveness/readiness probes hit /health/live and /health/ready (HTTP services)
 * on that port; the Service exposes DESIGN.md's port.
 */
export function checkPorts(objects: K8sObject[], deployables: Record<string, Deployable>, designPorts: Readonly<Record<string, number>>): string[] {
  const problems: string[] = [];
  for (const w of workloads(objects)) {
    const id = `${w.kind}/${w.metadata.name}`;
    const d = deployables[w.metadata.name];
    const design = designPorts[w.metadata.name];
    if (!d || design === undefined) {
      problems.push(`${id}: unknown deployable (no config schema or DESIGN.md port)`);
      continue;
    }
    const c = w.spec.template.spec.containers[0];
    const env = containerEnv(objects, w, c, []);
    const configured = env.get(d.portKey)?.value;
    const listens = configured !== undefined ? Number(configured) : d.defaultPort;
    if (listens !== design) problems.push(`${id}: listens on ${listens} (${d.portKey}) but DESIGN.md says ${design}`);
    const containerPorts = (c.ports ?? []).map((p) => p.containerPort);
    if (!containerPorts.includes(listens)) problems.push(`${id}: containerPort ${containerPorts.join(',') || 'none'} does not include the configured port ${listens}`);
    const http = w.kind === 'Deployment';
    for (const [kind, path] of [
      ['livenessProbe', '/health/live'],
      ['readinessProbe', '/health/ready'],
    ] as const) {
      const probe = c[kind];
      if (!probe) {
        problems.push(`${id}: no ${kind}`);
        continue;
      }
      const port = probePort(c, probe);
      if (port !== listens) problems.push(`${id}: ${kind} port ${String(probe.httpGet?.port ?? probe.tcpSocket?.port)} resolves to ${String(port)}, not ${listens}`);
      if (http && probe.httpGet?.path !== path) problems.push(`${id}: ${kind} path ${String(probe.httpGet?.path)} should be ${path}`);
    }
    if (c.startupProbe && probePort(c, c.startupProbe) !== listens) problems.push(`${id}: startupProbe port does not resolve to ${listens}`);
    for (const s of objects.filter(isService).filter((x) => x.spec.selector && mapSelectorMatches(x.spec.selector, podLabels(w)))) {
      if (s.spec.clusterIP === 'None') continue;
      if (!(s.spec.ports ?? []).some((p) => p.port === design)) problems.push(`Service/${s.metadata.name}: does not expose DESIGN.md port ${design}`);
    }
  }
  return problems;
}

/** Non-root, no privilege escalation, read-only root filesystem, dropped capabilities, requests and limits. */
export function checkSecurity(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const w of workloads(objects)) {
    const id = `${w.kind}/${w.metadata.name}`;
    const pod = w.spec.template.spec;
    for (const c of allContainers(w)) {
      const sc = c.securityContext ?? {};
      const nonRoot = sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
      const uid = sc.runAsUser ?? pod.securityContext?.runAsUser;
      if (nonRoot !== true) problems.push(`${id}/${c.name}: runAsNonRoot is not true`);
      if (uid === 0) problems.push(`${id}/${c.name}: runAsUser 0`);
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${id}/${c.name}: allowPrivilegeEscalation is not false`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${id}/${c.name}: readOnlyRootFilesystem is not true`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${id}/${c.name}: capabilities.drop lacks ALL`);
      for (const part of ['requests', 'limits'] as const) {
        for (const r of ['cpu', 'memory']) if (!c.resources?.[part]?.[r]) problems.push(`${id}/${c.name}: resources.${part}.${r} missing`);
      }
      if (!c.image || /:latest$/.test(c.image) || !/[:@]/.test(c.image)) problems.push(`${id}/${c.name}: image ${String(c.image)} has no pinned tag`);
    }
  }
  return problems;
}

/** No Secret values are committed: no Secret objects at all (the operator creates them). */
export function checkNoSecretObjects(objects: K8sObject[]): string[] {
  return objects.filter((o) => o.kind === 'Secret').map((o) => `Secret/${o.metadata.name}: secret values must not be committed`);
}

/** Secrets and keys the workloads reference (for the README / operators). */
export function referencedSecrets(objects: K8sObject[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const w of workloads(objects)) {
    for (const c of allContainers(w)) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) out.set(ref.name, (out.get(ref.name) ?? new Set()).add(ref.key));
      }
    }
  }
  return out;
}
