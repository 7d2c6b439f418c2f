import { STACK, http } from '@gov/testing';

const SERVICES = [
  ['identity', STACK.identity],
  ['intake', STACK.intake],
  ['approval', STACK.approval],
  ['supervision', STACK.supervision],
] as const;

describe('every service of the running stack', () => {
  it.each(SERVICES)('%s serves liveness, readiness with its checks, Prometheus metrics and its OpenAPI document', async (_name, url) => {
    const live = await http<{ status: string }>('GET', `${url}/health/live`);
    const ready = await http<{ status: string; checks: Record<string, { status: string }> }>('GET', `${url}/health/ready`);
    const metrics = await http<string>('GET', `${url}/metrics`);
    const docs = await http<{ openapi: string; paths: Record<string, unknown> }>('GET', `${url}/docs-json`);

    expect(live.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    expect(Object.keys(ready.body.checks).length).toBeGreaterThan(0);
    expect(Object.values(ready.body.checks).every((c) => c.status === 'up')).toBe(true);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('http_request_duration_seconds');
    expect(metrics.body).toContain('process_resident_memory_bytes');
    expect(docs.status).toBe(200);
    expect(docs.body.openapi).toMatch(/^3\./);
    expect(Object.keys(docs.body.paths).length).toBeGreaterThan(1);
  });

  it('answers an unknown route with a JSON 404, not an HTML page', async () => {
    const res = await http<{ statusCode: number; message: string }>('GET', `${STACK.intake}/no-such-route`);
    expect(res.status).toBe(404);
    expect(res.body.statusCode).toBe(404);
    expect(typeof res.body.message).toBe('string');
  });

  it('publishes OpenID discovery and the JWKS at identity', async () => {
    const discovery = await http<{ issuer: string; jwks_uri: string }>('GET', `${STACK.identity}/.well-known/openid-configuration`);
    const jwks = await http<{ keys: { kid: string; alg: string }[] }>('GET', `${STACK.identity}/.well-known/jwks.json`);
    expect(discovery.status).toBe(200);
    expect(discovery.body.jwks_uri).toBe(`${discovery.body.issuer}/.well-known/jwks.json`);
    expect(jwks.body.keys.length).toBeGreaterThan(0);
    expect(jwks.body.keys.every((k) => k.alg === 'EdDSA')).toBe(true);
  });
});
