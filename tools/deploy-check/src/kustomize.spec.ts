import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlAvailable, objectId, renderSubset, renderWithKubectl, splitImage } from './lib/kustomize';
import { OVERLAY_DIR } from './lib/fixtures';
import type { K8sObject } from './lib/yaml-docs';

function byId(objects: K8sObject[]): Record<string, K8sObject> {
  return Object.fromEntries(objects.map((o) => [objectId(o), o]));
}

describe('kustomize rendering', () => {
  const hasKubectl = kubectlAvailable();

  (hasKubectl ? it : it.skip)('the built-in subset renders the overlay exactly as `kubectl kustomize` does', () => {
    const mine = byId(renderSubset(OVERLAY_DIR));
    const theirs = byId(renderWithKubectl(OVERLAY_DIR));
    expect(Object.keys(mine).sort()).toEqual(Object.keys(theirs).sort());
    for (const id of Object.keys(theirs)) expect([id, mine[id]]).toEqual([id, theirs[id]]);
  });

  it('splits image references like kustomize', () => {
    expect(splitImage('gov/intake:0.1.0')).toEqual({ name: 'gov/intake', tag: '0.1.0' });
    expect(splitImage('registry:5000/gov/intake')).toEqual({ name: 'registry:5000/gov/intake' });
    expect(splitImage('gov/intake@sha256:abc')).toEqual({ name: 'gov/intake', digest: 'sha256:abc' });
  });

  describe('negative', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'deploy-check-'));
      writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  A: "1"\n');
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('refuses kustomization fields outside the implemented subset', () => {
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [cm.yaml]\npatches:\n  - path: p.yaml\n');
      expect(() => renderSubset(dir)).toThrow(/fields outside the supported subset: patches/);
    });

    it('refuses a missing resource and a replicas entry for an unknown workload', () => {
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [cm.yaml, missing.yaml]\n');
      expect(() => renderSubset(dir)).toThrow(/resource missing.yaml does not exist/);
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [cm.yaml]\nreplicas:\n  - name: nope\n    count: 2\n');
      expect(() => renderSubset(dir)).toThrow(/replicas names unknown workload nope/);
    });

    it('refuses a YAML syntax error', () => {
      writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n');
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [cm.yaml]\n');
      expect(() => renderSubset(dir)).toThrow(/cm\.yaml/);
    });
  });
});
