import { CamundaClient, CamundaError, toVariables } from './camunda.client';

describe('toVariables', () => {
  it("converts plain values to the engine's typed variables", () => {
    expect(toVariables({ s: 'a', n: 3, d: 1.5, b: true, nil: null, o: { k: [1] } })).toEqual({
      s: { value: 'a', type: 'String' },
      n: { value: 3, type: 'Long' },
      d: { value: 1.5, type: 'Double' },
      b: { value: true, type: 'Boolean' },
      nil: { value: null, type: 'Null' },
      o: { value: '{"k":[1]}', type: 'Json' },
    });
  });
});

describe('CamundaClient', () => {
  const calls: { url: string; init: RequestInit }[] = [];
  let reply: { status: number; body: string } = { status: 200, body: '[]' };

  beforeEach(() => {
    calls.length = 0;
    jest.spyOn(global, 'fetch').mockImplementation(async (url, init) => {
      calls.push({ url: url instanceof Request ? url.url : url.toString(), init: init ?? {} });
      return new Response(reply.body || null, { status: reply.status });
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('starts a process by key in a tenant with the business key and typed variables, with basic auth', async () => {
    // given
    reply = { status: 200, body: JSON.stringify({ id: 'pi-1', definitionId: 'd', businessKey: 'C-1', tenantId: 't', ended: false, suspended: false }) };
    const client = new CamundaClient({ baseUrl: 'http://engine/engine-rest/', username: 'svc', password: 'pw' });
    // when
    const instance = await client.startByKey('flow', { businessKey: 'C-1', tenantId: 't', variables: { caseNumber: 'C-1' } });
    // then
    expect(instance.id).toBe('pi-1');
    expect(calls[0].url).toBe('http://engine/engine-rest/process-definition/key/flow/tenant-id/t/start');
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ businessKey: 'C-1', variables: { caseNumber: { value: 'C-1', type: 'String' } } });
    expect((calls[0].init.headers as Record<string, string>).authorization).toBe(`Basic ${Buffer.from('svc:pw').toString('base64')}`);
  });

  it("turns the engine's error body into a CamundaError that recognises optimistic locking", async () => {
    reply = { status: 500, body: JSON.stringify({ type: 'OptimisticLockingException', message: 'Entity was updated by another transaction concurrently' }) };
    const client = new CamundaClient({ baseUrl: 'http://engine/engine-rest' });
    const error = await client.complete('t1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CamundaError);
    expect((error as CamundaError).status).toBe(500);
    expect((error as CamundaError).isConcurrentModification).toBe(true);
    expect((error as CamundaError).path).toBe('/task/t1/complete');
  });

  it('recognises optimistic locking the way the engine reports it on a task completion (RestException, code 1)', async () => {
    // (Camunda 7.24's answer when two co-review tasks of one instance are completed at the same moment)
    reply = {
      status: 500,
      body: JSON.stringify({ type: 'RestException', message: "Cannot complete task t1: ENGINE-03005 Execution of 'INSERT VariableInstanceEntity[v1]' failed. Entity was updated by another transaction concurrently.", code: 1 }),
    };
    const error = (await new CamundaClient({ baseUrl: 'http://engine/engine-rest' }).complete('t1').catch((e: unknown) => e)) as CamundaError;
    expect([error.code, error.isConcurrentModification]).toEqual([1, true]);
    reply = { status: 500, body: JSON.stringify({ type: 'RestException', message: 'Cannot complete task t1: a listener failed', code: 0 }) };
    const other = (await new CamundaClient({ baseUrl: 'http://engine/engine-rest' }).complete('t1').catch((e: unknown) => e)) as CamundaError;
    expect([other.code, other.isConcurrentModification]).toEqual([0, false]);
  });

  it('encodes path segments so an id cannot escape its resource', async () => {
    reply = { status: 204, body: '' };
    await new CamundaClient({ baseUrl: 'http://engine/engine-rest' }).claim('../deployment/x', 'u');
    expect(calls[0].url).toBe('http://engine/engine-rest/task/..%2Fdeployment%2Fx/claim');
  });
});
