import { randomBytes, randomUUID } from 'node:crypto';
import { OutboxSecurityEventSink, type Principal, Role, SecurityEvents } from '@gov/auth';
import { makeEvent } from '@gov/contracts';
import { RequestContext } from '@gov/service-kit';
import { kafka } from '@gov/testing';
import { DataSource } from 'typeorm';
import { auditSettled, http, loginAs, startTestIdentity, type TestIdentity } from '../testing/test-app';

interface AuditRow {
  seq: string;
  action: string;
  outcome: string;
  target: string | null;
  actor: string | null;
  service: string;
  traceId: string | null;
  details: Record<string, unknown>;
}

const silent = { warn: () => undefined, error: () => undefined };

// Another service's security events travel for real: its outbox, the relay, Kafka (platform.audit.v1), identity's
// inbox consumer, the chained audit trail, GET /audit?service=&traceId=.
describe('platform audit trail: every service’s security events in identity’s chain (real Kafka)', () => {
  let t: TestIdentity;
  let supervisor: string;

  beforeAll(async () => {
    // A consumer group of its own: the test never takes the stack's events, and reads the topic from the start.
    t = await startTestIdentity({ PLATFORM_AUDIT_CONSUMER: 'true', KAFKA_GROUP_PREFIX: `test-${randomBytes(4).toString('hex')}.` });
    supervisor = (await loginAs(t, 'supervisor')).access_token;
  });
  afterAll(async () => {
    await t.close();
  });

  /** Polls the audit over HTTP until the records of one trace arrive (Kafka delivery is asynchronous). */
  async function auditOf(service: string, traceId: string, count: number): Promise<AuditRow[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await http<AuditRow[]>(`${t.url}/audit?service=${service}&traceId=${traceId}`, { token: supervisor });
      expect(res.status).toBe(200);
      if (res.body.length >= count || Date.now() > deadline) return res.body;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it("appends another service's refusals, administrative changes and exports, found by service and trace id", async () => {
    // given the auth kit's producing side as approval has it: its security events written to its outbox
    const ds = t.app.get(DataSource);
    const events = new SecurityEvents(new OutboxSecurityEventSink(ds, silent), 'approval');
    const traceId = `trace-${randomBytes(8).toString('hex')}`;
    const officer: Principal = { subject: randomUUID(), name: '经办人', type: 'officer', roles: [Role.Handler], orgs: [], tokenId: 'j', expiresAt: new Date() };
    // when a request with that trace id is refused, and an administrator changes something and exports a list
    RequestContext.run({ traceId }, () => {
      events.refusal({ path: '/tasks/abc/complete', method: 'POST', ip: '10.0.0.7', principal: officer } as never, { status: 403, code: 'OutsideOrganisation', reason: 'This record belongs to an organisation you do not act for.' });
      events.administrativeChange(officer, 'matter.publish', 'MATTER-1', { version: 2 });
      events.personalDataExport(officer, 'applications.export', '/applications', { records: 12, fields: ['applicant.name'] });
    });
    await events.flush();
    // then identity has them in its chain, with the service and trace id
    const rows = await auditOf('approval', traceId, 3);
    expect(rows).toHaveLength(3);
    const refusal = rows.find((r) => r.action === 'authz.denied')!;
    expect(refusal).toMatchObject({ service: 'approval', traceId, outcome: 'denied', target: '/tasks/abc/complete', actor: officer.subject });
    expect(refusal.details).toMatchObject({ traceId, code: 'OutsideOrganisation', status: 403, method: 'POST', category: 'authorisation-refusal', service: 'approval' });
    expect(rows.find((r) => r.action === 'matter.publish')?.details).toMatchObject({ category: 'administrative-change' });
    expect(rows.find((r) => r.action === 'applications.export')?.details).toMatchObject({ category: 'personal-data-export', records: 12 });
    // and the chain still verifies
    const verdict = await http<{ ok: boolean }>(`${t.url}/audit/verify`, { token: supervisor });
    expect(verdict.body.ok).toBe(true);
  });

  it('appends a redelivered event once (the inbox)', async () => {
    // given one event published twice, as a relay that crashed before marking it published would
    const traceId = `dup-${randomBytes(8).toString('hex')}`;
    const event = makeEvent({
      type: 'gov.platform.security.recorded',
      source: '/intake',
      subject: 'intake',
      traceId,
      data: { service: 'intake', category: 'authentication-failure', action: 'authz.denied', outcome: 'refused', actor: null, actorLabel: null, target: '/applications', ip: '10.0.0.8', details: { traceId, code: 'MissingToken', status: 401, method: 'GET' }, at: new Date().toISOString() },
    });
    const marker = `mark-${randomBytes(8).toString('hex')}`;
    const after = makeEvent({ type: 'gov.platform.security.recorded', source: '/intake', subject: 'intake', traceId: marker, data: { ...event.data, details: { traceId: marker } } });
    const producer = kafka().producer();
    await producer.connect();
    try {
      const message = (e: typeof event) => ({ key: 'intake', value: JSON.stringify(e), headers: { 'ce-type': e.type } });
      await producer.send({ topic: 'platform.audit.v1', messages: [message(event), message(event), message(after)] });
    } finally {
      await producer.disconnect();
    }
    // when a later event of the same partition (same key) has arrived, the duplicate has been handled too
    await auditOf('intake', marker, 1);
    // then
    expect(await auditOf('intake', traceId, 1)).toHaveLength(1);
  });

  it("records identity's own refusals in the same trail under service identity, with the client's x-request-id", async () => {
    // given
    const traceId = `own-${randomBytes(8).toString('hex')}`;
    // when
    const res = await http(`${t.url}/keys`, { token: 'junk.token.here', headers: { 'x-request-id': traceId } });
    await auditSettled(t);
    // then
    expect(res.status).toBe(401);
    const rows = await auditOf('identity', traceId, 1);
    expect(rows[0]).toMatchObject({ service: 'identity', traceId, action: 'authz.denied', outcome: 'denied', target: '/keys' });
    expect(rows[0].details).toMatchObject({ traceId, status: 401, method: 'GET', category: 'authentication-failure' });
  });

  it('refuses malformed filters with 400', async () => {
    expect((await http(`${t.url}/audit?service=Not%20A%20Service`, { token: supervisor })).status).toBe(400);
    expect((await http(`${t.url}/audit?traceId=%00`, { token: supervisor })).status).toBe(400);
  });
});
