import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { validateObjects } from './lib/k8s-validate';
import { type Workload, isWorkload } from './lib/k8s-types';
import { checkNoSecretObjects } from './lib/k8s-checks';
import { BASE_DIR, find, rel, renderedOverlay, renderedVia, yamlFilesUnder } from './lib/fixtures';
import { renderSubset } from './lib/kustomize';
import { repoPath } from './lib/paths';
import { type K8sObject, isK8sObject, parseDocuments } from './lib/yaml-docs';

describe('k8s/: every YAML parses and every object validates against its Kubernetes schema', () => {
  const files = yamlFilesUnder(repoPath('k8s'));

  it('finds the base and the county overlay', () => {
    expect(files.map(rel)).toEqual(expect.arrayContaining(['k8s/base/kustomization.yaml', 'k8s/overlays/county/kustomization.yaml']));
  });

  it.each(files.map((f) => [rel(f), f]))('%s parses; its Kubernetes objects validate', (_name, file) => {
    const docs = parseDocuments(readFileSync(file, 'utf8'), file);
    expect(docs.length).toBeGreaterThan(0);
    if (basename(file).startsWith('kustomization')) return;
    const objects = docs.filter(isK8sObject);
    expect(objects).toHaveLength(docs.length);
    expect(validateObjects(objects)).toEqual([]);
  });

  it(`renders the overlay (${renderedVia()}) and every rendered object validates`, () => {
    const objects = renderedOverlay();
    expect(objects.length).toBeGreaterThan(30);
    expect(validateObjects(objects)).toEqual([]);
  });

  it('the base renders on its own too', () => {
    expect(validateObjects(renderSubset(BASE_DIR))).toEqual([]);
  });

  it('the overlay sets namespace, images and replicas', () => {
    const objects = renderedOverlay();
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect(`${o.kind}/${o.metadata.name} ${o.metadata.namespace}`).toBe(`${o.kind}/${o.metadata.name} gov-county-example`);
    for (const w of objects.filter(isWorkload)) {
      for (const c of w.spec.template.spec.containers) expect(c.image).toMatch(/^registry\.county\.example\.gov\.cn\/gov\/[a-z]+:\d+\.\d+\.\d+$/);
      expect(w.spec.template.metadata?.labels?.['gov-approval/bureau']).toBe('county-example');
    }
    expect(find<Workload>(objects, 'Deployment', 'intake').spec.replicas).toBe(2);
    expect(find<Workload>(objects, 'StatefulSet', 'kafka').spec.replicas).toBe(1);
    expect(find(objects, 'Service', 'postgres')['spec']).toMatchObject({ type: 'ExternalName' });
  });

  it('commits no Secret values', () => {
    expect(checkNoSecretObjects(renderedOverlay())).toEqual([]);
  });

  describe('negative: broken manifests are rejected', () => {
    it('a Deployment with a string containerPort and no containers name', () => {
      const d = find<Workload>(renderedOverlay(), 'Deployment', 'intake');
      (d.spec.template.spec.containers[0].ports![0] as { containerPort: unknown }).containerPort = 'http';
      const problems = validateObjects([d]);
      expect(problems.join('\n')).toMatch(/containerPort must be integer/);
    });

    it('a Service without spec.ports[].port', () => {
      const s = find(renderedOverlay(), 'Service', 'intake');
      const spec = s['spec'] as { ports: { port?: number }[] };
      delete spec.ports[0].port;
      expect(validateObjects([s]).join('\n')).toMatch(/port/);
    });

    it('a NetworkPolicy with an invalid policyType', () => {
      const p = find(renderedOverlay(), 'NetworkPolicy', 'default-deny-all');
      (p['spec'] as { policyTypes: string[] }).policyTypes = ['Sideways'];
      expect(validateObjects([p])).not.toEqual([]);
    });

    it('a kind without a known schema', () => {
      const o: K8sObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
      expect(validateObjects([o])).toEqual(['Widget/w: no schema for example.com/v1 Widget (add the model to k8s-validate.ts)']);
    });

    it('a committed Secret', () => {
      const s: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gov-db' }, stringData: { 'app-password': 'x' } };
      expect(checkNoSecretObjects([...renderedOverlay(), s])).toEqual(['Secret/gov-db: secret values must not be committed']);
    });
  });
});
