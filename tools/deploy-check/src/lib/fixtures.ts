// Shared loading for the specs: the rendered overlay and base, the real configuration sources.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadDeployables } from './config-keys';
import { type Rendered, render } from './kustomize';
import { REPO_ROOT, repoPath } from './paths';
import { type K8sObject, clone } from './yaml-docs';

export const OVERLAY_DIR = repoPath('k8s', 'overlays', 'county');
export const BASE_DIR = repoPath('k8s', 'base');

let overlay: Rendered | undefined;
export function renderedOverlay(): K8sObject[] {
  overlay ??= render(OVERLAY_DIR);
  return clone(overlay.objects);
}
export function renderedVia(): Rendered['via'] {
  overlay ??= render(OVERLAY_DIR);
  return overlay.via;
}

let deployables: ReturnType<typeof loadDeployables> | undefined;
export function realDeployables(): ReturnType<typeof loadDeployables> {
  deployables ??= loadDeployables();
  return deployables;
}

export function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...yamlFilesUnder(p));
    else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out.sort();
}

export function rel(path: string): string {
  return relative(REPO_ROOT, path);
}

export function find<T extends K8sObject = K8sObject>(objects: K8sObject[], kind: string, name: string): T {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} not rendered`);
  return o as T;
}
