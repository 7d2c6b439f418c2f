import { checkEnv, checkPorts, checkSecurity, checkSelectorsAndPdbs, checkServiceSelectors, referencedSecrets } from './lib/k8s-checks';
import type { ConfigMapObject, ServiceObject, Workload } from './lib/k8s-types';
import { find, realDeployables, renderedOverlay } from './lib/fixtures';
import { DESIGN_PORTS, NODE_SERVICES } from './lib/paths';

describe('k8s cross-references (rendered county overlay)', () => {
  it('reads each service config schema from apps/<app>/src/config.ts', () => {
    const d = realDeployables();
    for (const svc of NODE_SERVICES) {
      expect(d[svc].envKeys).toContain(`${svc.toUpperCase()}_PORT`);
      expect(d[svc].envKeys).toContain('KAFKA_BROKERS'); // from baseConfigShape
      expect(d[svc].defaultPort).toBe(DESIGN_PORTS[svc]);
    }
    expect(d['approval'].envKeys).toContain('ENGINE_URL');
    expect(d['intake'].envKeys).not.toContain('ENGINE_URL');
    expect(d['engine'].envKeys).toContain('ENGINE_DB_URL');
    expect(d['engine'].defaultPort).toBe(8080);
    expect(d['kafka'].envKeys).toContain('KAFKA_ADVERTISED_HOST');
  });

  it('every Service selector matches a Deployment/StatefulSet and its targetPort exists', () => {
    expect(checkServiceSelectors(renderedOverlay())).toEqual([]);
  });

  it('workload selectors match their pods; every Deployment has a PodDisruptionBudget that selects it', () => {
    expect(checkSelectorsAndPdbs(renderedOverlay())).toEqual([]);
  });

  it('every env var a workload sets is in its config schema; secrets come from secretKeyRef', () => {
    expect(checkEnv(renderedOverlay(), realDeployables())).toEqual([]);
  });

  it('container ports, probes and Services use the real ports (config defaults = DESIGN.md)', () => {
    expect(checkPorts(renderedOverlay(), realDeployables(), DESIGN_PORTS)).toEqual([]);
  });

  it('pods run as non-root with a read-only root filesystem, dropped capabilities, requests and limits', () => {
    expect(checkSecurity(renderedOverlay())).toEqual([]);
  });

  it('lists the Secrets the operator must create', () => {
    const s = referencedSecrets(renderedOverlay());
    expect(Object.fromEntries([...s].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      'approval-secrets': ['signing-key-kek'],
      'gov-db': ['app-password', 'camunda-password', 'owner-password'],
      'gov-metrics': ['token'],
      'identity-secrets': ['kek'],
      'engine-rest': ['password', 'username'],
      'engine-deploy': ['password', 'username'],
      'service-clients': ['approval', 'intake'],
    });
  });

  describe('negative: broken manifests are rejected', () => {
    it('a Service whose selector matches no pods', () => {
      const objects = renderedOverlay();
      find<ServiceObject>(objects, 'Service', 'approval').spec.selector = { 'app.kubernetes.io/name': 'aproval' };
      expect(checkServiceSelectors(objects)).toEqual([expect.stringMatching(/^Service\/approval: selector .* matches no Deployment/)]);
    });

    it('a Service whose named targetPort the pods do not have', () => {
      const objects = renderedOverlay();
      find<ServiceObject>(objects, 'Service', 'engine').spec.ports![0].targetPort = 'web';
      expect(checkServiceSelectors(objects)).toEqual(['Service/engine: targetPort web is not a container port of Deployment/engine']);
    });

    it('a Deployment without a PodDisruptionBudget', () => {
      const objects = renderedOverlay().filter((o) => !(o.kind === 'PodDisruptionBudget' && o.metadata.name === 'supervision'));
      expect(checkSelectorsAndPdbs(objects)).toEqual(['Deployment/supervision: no PodDisruptionBudget']);
    });

    it('an env var the service does not read (typo or another service’s key)', () => {
      const objects = renderedOverlay();
      find<ConfigMapObject>(objects, 'ConfigMap', 'intake-config').data!['ENGINE_URL'] = 'http://engine:8080/engine-rest';
      find<Workload>(objects, 'Deployment', 'supervision').spec.template.spec.containers[0].env!.push({ name: 'SUPERVISON_DB', value: 'x' });
      expect(checkEnv(objects, realDeployables())).toEqual([
        "Deployment/intake: ENGINE_URL (ConfigMap/intake-config) is not in intake's configuration schema",
        "Deployment/supervision: SUPERVISON_DB (env) is not in supervision's configuration schema",
      ]);
    });

    it('a secret as a literal value, and a missing ConfigMap', () => {
      const objects = renderedOverlay();
      const c = find<Workload>(objects, 'Deployment', 'identity').spec.template.spec.containers[0];
      c.env = c.env!.map((e) => (e.name === 'IDENTITY_KEK' ? { name: 'IDENTITY_KEK', value: 'x'.repeat(40) } : e));
      c.envFrom!.push({ configMapRef: { name: 'identity-extra' } });
      expect(checkEnv(objects, realDeployables())).toEqual([
        'Deployment/identity: envFrom ConfigMap identity-extra does not exist',
        'Deployment/identity: IDENTITY_KEK looks secret but is not a secretKeyRef (env)',
      ]);
    });

    it('a probe on the wrong port or path, a port that is not the configured one', () => {
      const objects = renderedOverlay();
      const c = find<Workload>(objects, 'Deployment', 'approval').spec.template.spec.containers[0];
      c.readinessProbe = { httpGet: { path: '/ready', port: 3004 } };
      find<ConfigMapObject>(objects, 'ConfigMap', 'supervision-config').data!['SUPERVISION_PORT'] = '3005';
      expect(checkPorts(objects, realDeployables(), DESIGN_PORTS)).toEqual([
        'Deployment/approval: readinessProbe port 3004 resolves to 3004, not 3003',
        'Deployment/approval: readinessProbe path /ready should be /health/ready',
        "Deployment/supervision: listens on 3005 (SUPERVISION_PORT) but DESIGN.md says 3004",
        'Deployment/supervision: containerPort 3004 does not include the configured port 3005',
        'Deployment/supervision: livenessProbe port http resolves to 3004, not 3005',
        'Deployment/supervision: readinessProbe port http resolves to 3004, not 3005',
        'Deployment/supervision: startupProbe port does not resolve to 3005',
      ]);
    });

    it('a root container without limits and an unpinned image', () => {
      const objects = renderedOverlay();
      const w = find<Workload>(objects, 'Deployment', 'intake');
      w.spec.template.spec.securityContext = { runAsUser: 0 };
      const c = w.spec.template.spec.containers[0];
      c.image = 'gov/intake:latest';
      delete c.resources!.limits;
      delete c.securityContext!.readOnlyRootFilesystem;
      expect(checkSecurity(objects)).toEqual([
        'Deployment/intake/intake: runAsNonRoot is not true',
        'Deployment/intake/intake: runAsUser 0',
        'Deployment/intake/intake: readOnlyRootFilesystem is not true',
        'Deployment/intake/intake: resources.limits.cpu missing',
        'Deployment/intake/intake: resources.limits.memory missing',
        'Deployment/intake/intake: image gov/intake:latest has no pinned tag',
      ]);
    });
  });
});
