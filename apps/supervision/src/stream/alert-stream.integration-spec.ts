import { KitErrors } from '@gov/service-kit';
import { SupervisionErrors } from '../errors';
import { type TestSupervision, accepted, anEvent, deliverAny, http, newCaseNumber, orgsOf, startTestSupervision, stepsConsumer, tokenOf } from '../testing/test-app';
import { DeadLetterWatcher } from './dead-letter-watcher.service';

interface SseEvent {
  id: string;
  data: { seq: number; alertId: string; kind: string; rule: string; caseNumber: string | null; orgCode: string | null; evidence: Record<string, unknown> };
}

/**
 * Reads an SSE response until `count` events that `keep` accepts (or `timeoutMs`), then disconnects. (The stream is
 * the whole platform's: other tests' dead letters reach it through the shared Kafka at any moment.)
 */
async function readEvents(
  url: string,
  token: string,
  count: number,
  headers: Record<string, string> = {},
  timeoutMs = 10_000,
  keep: (e: SseEvent) => boolean = () => true,
): Promise<{ status: number; events: SseEvent[] }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const events: SseEvent[] = [];
  let status = 0;
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...headers }, signal: abort.signal });
    status = res.status;
    if (!res.ok || !res.body) return { status, events };
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    while (events.length < count) {
      const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean };
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0 && events.length < count) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        const event = id && data ? { id, data: JSON.parse(data) as SseEvent['data'] } : undefined;
        if (event && keep(event)) events.push(event);
      }
    }
  } catch (e) {
    if ((e as { name?: string } | null)?.name !== 'AbortError') throw e;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return { status, events };
}

// The alert stream (issue 10 §7): one SSE stream per caller, filtered to their jurisdiction, resumable.
describe('the alert stream', () => {
  let t: TestSupervision;
  let supervisor: string;
  let dongchengHandler: string;
  let marketHandler: string;
  let dongchengOrg: string;
  let marketOrg: string;

  beforeAll(async () => {
    t = await startTestSupervision();
    [supervisor, dongchengHandler, marketHandler] = await Promise.all(['supervisor', 'handler.dongcheng', 'handler.market'].map(tokenOf));
    dongchengOrg = orgsOf(dongchengHandler)[0];
    marketOrg = orgsOf(marketHandler)[0];
  });
  afterAll(async () => {
    await t?.close();
  });

  /** An anomaly (a wrong fee) on a new case of `org`; returns the case number. */
  const anomaly = async (org: string) => {
    const caseNumber = newCaseNumber();
    await deliverAny(t, accepted(caseNumber, { departmentCode: org }));
    await deliverAny(t, anEvent('gov.intake.fee.assessed', { caseNumber, matterCode: 'DEMO-001', itemCode: 'F', amountFen: 2, catalogueAmountFen: 1, assessedAt: new Date().toISOString() }, caseNumber));
    return caseNumber;
  };
  const lastSeq = async () => Number((await t.ownerQuery<{ s: string | null }>(`SELECT max(seq)::text AS s FROM alert_stream`))[0].s ?? 0);

  it('resumes after a disconnect with Last-Event-ID: every alert once, in order, none lost or doubled', async () => {
    // given a stream opened after everything so far, and three alerts raised
    const from = await lastSeq();
    const first = [await anomaly(marketOrg), await anomaly(marketOrg), await anomaly(marketOrg)];
    // when the client reads two and drops the connection
    // (this test's own cases' alerts: the platform's others, a dead letter or an incident of another test, may come between)
    const anomalies = (e: SseEvent) => e.data.caseNumber?.startsWith('TEST-') === true;
    const before = await readEvents(`${t.url}/alerts/stream?after=${from}`, supervisor, 2, {}, 10_000, anomalies);
    // and two more are raised while it is away
    const second = [await anomaly(marketOrg), await anomaly(marketOrg)];
    // and it reconnects with the id of the last alert it saw
    const after = await readEvents(`${t.url}/alerts/stream`, supervisor, 3, { 'last-event-id': before.events[1].id }, 10_000, anomalies);
    // then it gets exactly the three it had not seen
    expect(before.status).toBe(200);
    const cases = [...before.events, ...after.events].map((e) => e.data.caseNumber);
    expect(cases).toEqual([...first, ...second]);
    const ids = [...before.events, ...after.events].map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(5);
  });

  it('delivers an alert raised while the stream is open (live), carrying case, rule, organisation and evidence', async () => {
    // given an open stream
    const from = await lastSeq();
    const reading = readEvents(`${t.url}/alerts/stream?after=${from}`, supervisor, 1);
    // when an anomaly is raised
    const caseNumber = await anomaly(dongchengOrg);
    // then
    const { events } = await reading;
    expect(events).toEqual([{ id: expect.any(String), data: expect.objectContaining({ caseNumber, kind: 'anomaly', rule: 'fee-mismatch', orgCode: dongchengOrg, evidence: expect.objectContaining({ amountFen: 2 }) }) }]);
    // and the same alert is on its way to Kafka (outbox, gov.supervision.alert.issued)
    const outbox = await t.ownerQuery<{ payload: { data: { alertId: string } } }>(`SELECT payload FROM outbox WHERE type = 'gov.supervision.alert.issued' AND key = $1`, [caseNumber]);
    expect(outbox.map((o) => o.payload.data.alertId)).toEqual([events[0].data.alertId]);
  });

  it('filters to the jurisdiction: the city sees its county, a county officer only their own, a city section not the county', async () => {
    // given one alert in Dongcheng (a county) and one in a city section
    const from = await lastSeq();
    const county = await anomaly(dongchengOrg);
    const city = await anomaly(marketOrg);
    // when each reads the page of the stream
    const page = async (token: string) => (await http<SseEvent['data'][]>(`${t.url}/alerts/stream/entries?after=${from}`, { token })).body.map((a) => a.caseNumber);
    // then
    expect(await page(supervisor)).toEqual([county, city]);
    expect(await page(dongchengHandler)).toEqual([county]);
    expect(await page(marketHandler)).toEqual([city]);
    // and the live stream filters the same way
    const live = await readEvents(`${t.url}/alerts/stream?after=${from}`, dongchengHandler, 2, {}, 1500);
    expect(live.events.map((e) => e.data.caseNumber)).toEqual([county]);
  });

  it('raises an alert for a poison message (dead-lettered), shown to the supervision office only', async () => {
    // given a message the consumer cannot decode
    const from = await lastSeq();
    await stepsConsumer(t).handle({ topic: 'approval.step.v1', partition: 0, offset: '424242', key: 'x', value: Buffer.from('{not json'), headers: {} });
    // when the watcher runs (twice: once only)
    expect(await t.app.get(DeadLetterWatcher).scan()).toBe(1);
    expect(await t.app.get(DeadLetterWatcher).scan()).toBe(0);
    // then
    const page = async (token: string) => (await http<SseEvent['data'][]>(`${t.url}/alerts/stream/entries?after=${from}`, { token })).body;
    expect(await page(supervisor)).toEqual([expect.objectContaining({ kind: 'dead-letter', rule: 'dead-letter', evidence: expect.objectContaining({ topic: 'approval.step.v1', offset: '424242' }) })]);
    expect(await page(marketHandler)).toEqual([]);
  });

  it('refuses a Last-Event-ID that is not an id, a client that does not accept an event stream, an applicant, and a caller without a token', async () => {
    const bad = await http<{ error: string }>(`${t.url}/alerts/stream`, { token: supervisor, headers: { 'last-event-id': 'abc' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe(KitErrors.code.InvalidParameter);
    const notSse = await http<{ error: string }>(`${t.url}/alerts/stream`, { token: supervisor });
    expect(notSse.status).toBe(406);
    expect(notSse.body.error).toBe(SupervisionErrors.code.NotEventStream);
    const applicant = await http(`${t.url}/alerts/stream`, { token: await tokenOf('zhangsan') });
    expect(applicant.status).toBe(403);
    const anonymous = await http(`${t.url}/alerts/stream`);
    expect(anonymous.status).toBe(401);
  });
});
