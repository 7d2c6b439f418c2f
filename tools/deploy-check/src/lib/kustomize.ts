// Renders a kustomization directory. `kubectl kustomize` when kubectl is installed; otherwise the small subset of
// kustomize this repository uses (resources, namespace, images, replicas, labels), implemented here. Any other
// kustomization field is refused, so the subset can never silently diverge from what kubectl would render
// (kustomize.spec.ts also compares both renderings when kubectl exists).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { type K8sObject, clone, isK8sObject, parseDocuments } from './yaml-docs';
import { WORKLOAD_KINDS } from './k8s-types';

export interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  replicas?: { name: string; count: number }[];
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
}

const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'replicas', 'labels']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'CustomResourceDefinition', 'PriorityClass', 'IngressClass']);

export function kubectlAvailable(): boolean {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  return r.status === 0;
}

export function renderWithKubectl(dir: string): K8sObject[] {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${r.stderr}`);
  return toObjects(parseDocuments(r.stdout, `kubectl kustomize ${dir}`), dir);
}

function toObjects(docs: unknown[], source: string): K8sObject[] {
  return docs.map((d, i) => {
    if (!isK8sObject(d)) throw new Error(`${source}: document ${i} is not a Kubernetes object (apiVersion, kind, metadata.name)`);
    return d;
  });
}

function readKustomization(dir: string): Kustomization {
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`${dir}: no kustomization.yaml`);
  const k = parse(readFileSync(file, 'utf8')) as Kustomization;
  const unsupported = Object.keys(k).filter((f) => !SUPPORTED_FIELDS.has(f));
  if (unsupported.length > 0) throw new Error(`${file}: fields outside the supported subset: ${unsupported.join(', ')}`);
  for (const l of k.labels ?? []) {
    if (l.includeSelectors) throw new Error(`${file}: labels.includeSelectors is not supported (it would rewrite selectors)`);
  }
  return k;
}

/** Splits an image reference into the name kustomize matches on and the tag/digest. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  if (at >= 0) return { name: image.slice(0, at), digest: image.slice(at + 1) };
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/')) return { name: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { name: image };
}

function setImages(o: K8sObject, images: NonNullable<Kustomization['images']>): void {
  if (!WORKLOAD_KINDS.has(o.kind)) return;
  const spec = (o['spec'] as { template?: { spec?: { containers?: { image?: string }[]; initContainers?: { image?: string }[] } } } | undefined)?.template?.spec;
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    if (!c.image) continue;
    const cur = splitImage(c.image);
    const rule = images.find((i) => i.name === cur.name);
    if (!rule) continue;
    const name = rule.newName ?? cur.name;
    if (rule.digest) c.image = `${name}@${rule.digest}`;
    else if (rule.newTag) c.image = `${name}:${rule.newTag}`;
    else c.image = cur.digest ? `${name}@${cur.digest}` : cur.tag ? `${name}:${cur.tag}` : name;
  }
}

/** Renders with the built-in subset. */
export function renderSubset(dir: string): K8sObject[] {
  const k = readKustomization(dir);
  let objects: K8sObject[] = [];
  for (const res of k.resources ?? []) {
    const path = resolve(dir, res);
    if (!existsSync(path)) throw new Error(`${dir}: resource ${res} does not exist`);
    if (statSync(path).isDirectory()) objects.push(...renderSubset(path));
    else objects.push(...toObjects(parseDocuments(readFileSync(path, 'utf8'), path), path));
  }
  objects = objects.map((o) => clone(o));
  const seen = new Set<string>();
  for (const o of objects) {
    const id = `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(id)) throw new Error(`${dir}: duplicate resource ${id}`);
    seen.add(id);
  }
  for (const o of objects) {
    if (k.namespace && !CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
    for (const l of k.labels ?? []) {
      o.metadata.labels = { ...(o.metadata.labels ?? {}), ...l.pairs };
      if (l.includeTemplates && WORKLOAD_KINDS.has(o.kind)) {
        const spec = o['spec'] as { template: { metadata?: { labels?: Record<string, string> } } };
        spec.template.metadata = { ...(spec.template.metadata ?? {}), labels: { ...(spec.template.metadata?.labels ?? {}), ...l.pairs } };
        // kustomize labels the StatefulSet's volumeClaimTemplates as well
        for (const vct of (o['spec'] as { volumeClaimTemplates?: { metadata?: { labels?: Record<string, string> } }[] }).volumeClaimTemplates ?? []) {
          vct.metadata = { ...(vct.metadata ?? {}), labels: { ...(vct.metadata?.labels ?? {}), ...l.pairs } };
        }
      }
    }
    if (k.images) setImages(o, k.images);
    const rep = k.replicas?.find((r) => r.name === o.metadata.name);
    if (rep && WORKLOAD_KINDS.has(o.kind) && o.kind !== 'DaemonSet') (o['spec'] as { replicas?: number }).replicas = rep.count;
  }
  for (const r of k.replicas ?? []) {
    if (!objects.some((o) => o.metadata.name === r.name && WORKLOAD_KINDS.has(o.kind))) throw new Error(`${dir}: replicas names unknown workload ${r.name}`);
  }
  return objects;
}

export interface Rendered {
  objects: K8sObject[];
  via: 'kubectl' | 'subset';
}

export function render(dir: string): Rendered {
  if (process.env['DEPLOY_CHECK_NO_KUBECTL'] !== '1' && kubectlAvailable()) return { objects: renderWithKubectl(dir), via: 'kubectl' };
  return { objects: renderSubset(dir), via: 'subset' };
}

/** Stable identity of an object, for comparisons. */
export function objectId(o: K8sObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}
