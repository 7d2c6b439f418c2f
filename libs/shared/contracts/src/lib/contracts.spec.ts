import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { buildAsyncApiDocument } from './asyncapi';
import { decodeEvent, makeEvent } from './codec';
import { EVENT_TYPES } from './events';
import { TOPICS } from './topics';

const accepted = {
  caseNumber: '441200-20261122-000001',
  applicationId: '6f1c2b1e-6a55-4c9f-9a52-7d1f3f1a0b11',
  matterCode: 'DEMO-001',
  matterName: '演示事项',
  processKey: 'skeleton-approval',
  departmentCode: 'SCJG',
  tenantId: '441200',
  applicant: { kind: 'person' as const, id: '11010519491231002X', name: '张三' },
  acceptedAt: '2026-11-22T08:00:00.000Z',
  timeLimitWorkingDays: 10,
  form: { purpose: 'demo' },
};

describe('event codec', () => {
  it('round-trips a valid event through makeEvent and decodeEvent', () => {
    // given
    const event = makeEvent({ type: 'gov.intake.application.accepted', source: '/intake', subject: accepted.caseNumber, data: accepted, tenantId: '441200' });
    // when
    const decoded = decodeEvent(Buffer.from(JSON.stringify(event)));
    // then
    expect(decoded.ok).toBe(true);
    if (decoded.ok) {
      expect(decoded.event.id).toBe(event.id);
      expect(decoded.event.data).toEqual(accepted);
      expect(decoded.event.tenantid).toBe('441200');
    }
  });

  it('refuses to build an event whose data breaks its schema', () => {
    expect(() =>
      makeEvent({ type: 'gov.intake.application.accepted', source: '/intake', subject: 'x', data: { ...accepted, caseNumber: 'bad' } }),
    ).toThrow(/case number/);
  });

  it.each([
    ['not JSON', Buffer.from('{oops'), 'not JSON'],
    ['empty', Buffer.alloc(0), 'empty message'],
    ['missing envelope fields', Buffer.from(JSON.stringify({ hello: 1 })), 'invalid envelope'],
    ['unknown type', Buffer.from(JSON.stringify({ ...makeEvent({ type: 'gov.intake.application.accepted', source: '/i', subject: 's', data: accepted }), type: 'gov.nobody.knows.this' })), 'unknown event type'],
    ['bad data', Buffer.from(JSON.stringify({ ...makeEvent({ type: 'gov.intake.application.accepted', source: '/i', subject: 's', data: accepted }), data: { caseNumber: 1 } })), 'invalid data'],
  ])('rejects %s with a reason', (_name, raw, reason) => {
    const decoded = decodeEvent(raw);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toContain(reason);
  });

  it('maps every event type to a declared topic', () => {
    const topics = new Set(Object.values(TOPICS).map((t) => t.name));
    for (const spec of Object.values(EVENT_TYPES)) expect(topics.has(spec.topic)).toBe(true);
  });
});

describe('AsyncAPI document', () => {
  const committed = JSON.parse(readFileSync(join(__dirname, '../../asyncapi.json'), 'utf8')) as Record<string, unknown>;

  it('matches the schemas in code (regenerate with `npx tsx tools/contracts-asyncapi.ts`)', () => {
    expect(committed).toEqual(buildAsyncApiDocument());
  });

  it('is a valid AsyncAPI 3 document with a message for every event type', async () => {
    // given
    const parser = new Parser();
    // when
    const { document, diagnostics } = await parser.parse(JSON.stringify(committed));
    // then
    const errors = diagnostics.filter((d) => Number(d.severity) === 0);
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(document).toBeDefined();
    const names = document!.allMessages().all().map((m) => m.name());
    expect(names.sort()).toEqual(Object.keys(EVENT_TYPES).sort());
  });
});
