import { DATABASE_CLIENTS, EXPECTED_CONNECTIONS, PUBLIC_HTTP, PolicyModel, checkNetworkPolicies, podEndpoint } from './lib/netpol';
import type { NetworkPolicyObject, Workload } from './lib/k8s-types';
import { find, renderedOverlay } from './lib/fixtures';
import { DESIGN_PORTS } from './lib/paths';

const EXPECT = { connections: EXPECTED_CONNECTIONS, databaseClients: DATABASE_CLIENTS, publicHttp: PUBLIC_HTTP, ports: DESIGN_PORTS };

describe('NetworkPolicies allow exactly what DESIGN.md\'s "talks to" table implies', () => {
  it('every pair of workloads: allowed iff expected; DNS, database and ingress-controller access as intended', () => {
    expect(checkNetworkPolicies(renderedOverlay(), EXPECT)).toEqual([]);
  });

  it('spot checks', () => {
    const objects = renderedOverlay();
    const m = new PolicyModel(objects);
    const ep = (n: string) => podEndpoint(find<Workload>(objects, objects.some((o) => o.kind === 'Deployment' && o.metadata.name === n) ? 'Deployment' : 'StatefulSet', n));
    expect(m.allowed(ep('approval'), ep('engine'), 8080)).toBe(true);
    expect(m.allowed(ep('intake'), ep('engine'), 8080)).toBe(false);
    expect(m.allowed(ep('supervision'), ep('approval'), 3003)).toBe(false);
    expect(m.allowed(ep('approval'), ep('engine'), 5432)).toBe(false);
    expect(m.allowed(ep('kafka'), { type: 'external' }, 5432)).toBe(false);
  });

  describe('negative: broken policies are rejected', () => {
    it('a missing rule (approval may no longer reach the engine)', () => {
      const objects = renderedOverlay();
      const p = find<NetworkPolicyObject>(objects, 'NetworkPolicy', 'approval-egress');
      p.spec.egress = p.spec.egress!.filter((r) => !JSON.stringify(r).includes('engine'));
      expect(checkNetworkPolicies(objects, EXPECT)).toEqual(['approval->engine:8080 is needed (DESIGN.md) but the policies refuse it']);
    });

    it('an over-broad rule (any pod may reach the engine)', () => {
      const objects = renderedOverlay();
      const p = find<NetworkPolicyObject>(objects, 'NetworkPolicy', 'engine-ingress');
      p.spec.ingress!.push({ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 8080 }] });
      const q = find<NetworkPolicyObject>(objects, 'NetworkPolicy', 'intake-egress');
      q.spec.egress!.push({ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'engine' } } }], ports: [{ port: 8080 }] });
      expect(checkNetworkPolicies(objects, EXPECT)).toEqual(['intake->engine:8080 is allowed but DESIGN.md implies no such connection']);
    });

    it('no default deny', () => {
      const objects = renderedOverlay().filter((o) => o.metadata.name !== 'default-deny-all');
      expect(checkNetworkPolicies(objects, EXPECT)).toContain('no default-deny NetworkPolicy (podSelector {}, Ingress+Egress, no rules)');
    });

    it('Kafka exposed to the ingress controller and no DNS', () => {
      const objects = renderedOverlay().filter((o) => o.metadata.name !== 'allow-dns-egress');
      find<NetworkPolicyObject>(objects, 'NetworkPolicy', 'kafka-ingress').spec.ingress!.push({ from: [{ namespaceSelector: {} }] });
      const problems = checkNetworkPolicies(objects, EXPECT);
      expect(problems).toContain('ingress controller -> kafka:9092 is allowed but should be refused');
      expect(problems).toContain('intake: no egress to cluster DNS (53)');
    });
  });
});
