import { ServiceTokenClient } from './service-token.client';

describe('ServiceTokenClient', () => {
  it('caches the token until shortly before expiry and shares one request between concurrent callers', async () => {
    // given
    let calls = 0;
    let now = 1_000_000;
    const fetchImpl = (async () => {
      calls++;
      return new Response(JSON.stringify({ access_token: `t${calls}`, expires_in: 120 }), { status: 200 });
    }) as typeof fetch;
    const client = new ServiceTokenClient({ tokenUrl: 'http://x/oauth/token', clientId: 'c', clientSecret: 's', fetchImpl, now: () => now });
    // when
    const [a, b] = await Promise.all([client.getToken(), client.getToken()]);
    now += 60_000;
    const c = await client.getToken();
    now += 40_000; // within the 30 s refresh skew
    const d = await client.getToken();
    // then
    expect([a, b, c, d]).toEqual(['t1', 't1', 't1', 't2']);
    expect(calls).toBe(2);
  });

  it('fails clearly when identity refuses the credentials', async () => {
    const fetchImpl = (async () => new Response('{}', { status: 401 })) as typeof fetch;
    const client = new ServiceTokenClient({ tokenUrl: 'http://x/oauth/token', clientId: 'c', clientSecret: 'bad', fetchImpl });
    await expect(client.getToken()).rejects.toThrow('HTTP 401');
  });
});
