import { TOPICS } from '@gov/contracts';
import { eventually, kafka } from '@gov/testing';
import { type TestSupervision, http, startTestSupervision, tokenOf } from '../testing/test-app';

// Issue 10 §3: a dead-lettered event raises an alert, whichever service dead-lettered it (platform.deadletter.v1).
describe('platform dead letters', () => {
  let t: TestSupervision;
  beforeAll(async () => {
    t = await startTestSupervision({ PLATFORM_DEAD_LETTER_ALERTS: 'true' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("alerts another service's poison message once, however often it is seen, to the supervision office", async () => {
    // given a message approval's consumer dead-lettered (as the messaging lib publishes it)
    const offset = String(Date.now());
    const headers = { 'x-dlq-reason': 'not JSON', 'x-dlq-consumer': 'e2e-elsewhere.approval.cases', 'x-original-topic': 'intake.application.v1', 'x-original-partition': '2', 'x-original-offset': offset, 'x-dlq-time': new Date().toISOString() };
    const producer = kafka().producer();
    await producer.connect();
    const supervisor = await tokenOf('supervisor');
    const mine = async () =>
      (await http<{ kind: string; evidence: { offset: string | null; consumer: string; reason: string } }[]>(`${t.url}/alerts/stream/entries`, { token: supervisor })).body.filter((a) => a.kind === 'dead-letter' && a.evidence.offset === offset);
    try {
      // when it is on the topic (sent again on each probe while the consumer group joins: the alert dedupes)
      await eventually('the dead letter alerted', async () => {
        await producer.send({ topic: TOPICS.deadLetter.name, messages: [{ key: 'k', value: '{oops', headers }] });
        return (await mine()).length > 0;
      }, 60_000, 1500);
    } finally {
      await producer.disconnect();
    }
    // then exactly one alert, with the consumer and the reason
    expect(await mine()).toEqual([expect.objectContaining({ evidence: expect.objectContaining({ consumer: 'e2e-elsewhere.approval.cases', reason: 'not JSON' }) })]);
    const handler = await tokenOf('handler.market');
    expect((await http<unknown[]>(`${t.url}/alerts/stream/entries`, { token: handler })).body).toEqual([]);
  });
});
