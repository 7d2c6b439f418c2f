import { type Operation, SERVICES, SERVICE_NAMES, type ServiceName, loadOperations, urlOf } from './support/openapi';
import { defaultPathValues } from './support/probes';
import { RawClient, type RawResponse } from './support/raw-client';

// Security headers on every service, on a normal answer, an error answer (the guard's), a body the parser refuses
// (answered before any controller runs) and a 404.

const KINDS = ['a normal answer', 'an error answer', 'a refused body', 'a 404'] as const;
type Kind = (typeof KINDS)[number];
const CASES: Array<[ServiceName, Kind]> = SERVICE_NAMES.flatMap((s) => KINDS.map((k): [ServiceName, Kind] => [s, k]));

function securityHeaders(res: RawResponse): Record<string, unknown> {
  const h = (name: string): string | undefined => {
    const v = res.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  const hsts = /max-age=(\d+)/.exec(h('strict-transport-security') ?? '');
  return {
    'x-content-type-options': h('x-content-type-options') ?? 'absent',
    'x-frame-options': /^(DENY|SAMEORIGIN)$/i.test(h('x-frame-options') ?? '') ? 'DENY or SAMEORIGIN' : (h('x-frame-options') ?? 'absent'),
    'content-security-policy': (h('content-security-policy') ?? '').length > 0 ? 'present' : 'absent',
    'referrer-policy': (h('referrer-policy') ?? '').length > 0 ? 'present' : 'absent',
    'strict-transport-security': hsts && Number(hsts[1]) > 0 ? 'max-age > 0' : (h('strict-transport-security') ?? 'absent'),
    'x-powered-by': h('x-powered-by') ?? 'absent',
  };
}

const EXPECTED = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY or SAMEORIGIN',
  'content-security-policy': 'present',
  'referrer-policy': 'present',
  'strict-transport-security': 'max-age > 0',
  'x-powered-by': 'absent',
};

describe('security headers on every service', () => {
  const client = new RawClient({ concurrency: 4 });
  let operations: Operation[] = [];
  beforeAll(async () => {
    operations = await loadOperations();
  });
  afterAll(() => client.close());

  it.each(CASES)('%s sends the security headers and no X-Powered-By on %s', async (service, kind) => {
    // given a request of the kind
    const base = SERVICES[service];
    const guarded = operations.find((o) => o.service === service && o.guarded && o.method === 'GET') ?? operations.find((o) => o.service === service && o.guarded);
    const withBody = operations.find((o) => o.service === service && o.body !== undefined);
    const requests: Record<Kind, { method: string; url: string; headers?: Record<string, string>; body?: string }> = {
      'a normal answer': { method: 'GET', url: `${base}/health/live` },
      'an error answer': guarded ? { method: guarded.method, url: urlOf(guarded, defaultPathValues(guarded)) } : { method: 'GET', url: `${base}/health/live` },
      'a refused body': { method: 'POST', url: withBody ? urlOf(withBody, defaultPathValues(withBody)) : `${base}/health/live`, headers: { 'content-type': 'application/json' }, body: '{"a":' },
      'a 404': { method: 'GET', url: `${base}/e2e-no-such-route` },
    };
    const statuses: Record<Kind, number> = { 'a normal answer': 200, 'an error answer': guarded ? 401 : 200, 'a refused body': 400, 'a 404': 404 };
    // when it is sent
    const res = await client.send(requests[kind]);
    // then the answer is of that kind and carries the headers
    const expectedStatus = statuses[kind];
    expect({ status: res.status, ...securityHeaders(res) }).toEqual({ status: expectedStatus, ...EXPECTED });
  });
});
