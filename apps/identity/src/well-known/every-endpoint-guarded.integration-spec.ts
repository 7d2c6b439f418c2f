import { http, startTestIdentity, type TestIdentity } from '../testing/test-app';

// The routes that are public on purpose. Anything else must refuse a request without a token.
const PUBLIC = new Set([
  'GET /health/live',
  'GET /health/ready',
  'GET /.well-known/openid-configuration',
  'GET /.well-known/jwks.json',
  'POST /auth/login',
  'POST /auth/refresh',
  'POST /auth/challenge',
  'POST /oauth/token',
  'POST /applicants/register',
  'GET /ca/chain',
  'GET /ca/crl',
  'GET /ca/certificates/{serial}',
  'GET /ca/certificates/{serial}/status',
  'POST /ca/verify-jws',
  'POST /seals/verify',
  'GET /verify/documents/{code}',
  'GET /verify/documents',
  'POST /verify/documents',
]);

describe('no unguarded endpoint', () => {
  let t: TestIdentity;
  beforeAll(async () => {
    t = await startTestIdentity({ DEMO_SEED: 'false' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses every non-public route of the OpenAPI document without a token, and the public list is exact', async () => {
    // given every route the service documents
    const doc = await http<{ paths: Record<string, Record<string, unknown>> }>(`${t.url}/docs-json`);
    const routes = Object.entries(doc.body.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.length).toBeGreaterThan(30);
    const open: string[] = [];
    // when each is called without a token
    for (const route of routes) {
      const [method, path] = route.split(' ') as [string, string];
      const url = t.url + path.replace(/\{[^}]+\}/g, '00000000-0000-0000-0000-000000000000');
      const res = await http(url, { method, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
      if (res.status !== 401) open.push(route);
    }
    // then only the deliberate ones answered
    expect(open.filter((r) => !PUBLIC.has(r))).toEqual([]);
    expect(routes.filter((r) => PUBLIC.has(r)).sort()).toEqual([...PUBLIC].sort());
  });
});
