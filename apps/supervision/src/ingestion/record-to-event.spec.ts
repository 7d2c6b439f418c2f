import { ExchangeRecord, decodeEvent } from '@gov/contracts';
import { recordUuid, toEvent } from './record-to-event';

const MARKET = '11449900000000011X';

describe('exchange record to platform event', () => {
  it('derives the same event id from the same department and record on every resend', () => {
    expect(recordUuid(MARKET, 'r-1')).toBe(recordUuid(MARKET, 'r-1'));
    expect(recordUuid(MARKET, 'r-1')).not.toBe(recordUuid(MARKET, 'r-2'));
    expect(recordUuid(MARKET, 'r-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('turns a completed step into the engine’s step event, namespaced so it cannot collide with engine ids', () => {
    // given
    const record = ExchangeRecord.parse({
      kind: 'step.completed', recordId: 'r-7', caseNumber: '449900-20261102-000007', departmentCode: MARKET, occurredAt: '2026-11-03T02:00:00.000Z',
      stepId: 's-1', stepKey: 'review', stepName: '审查', candidateGroups: [`handler:${MARKET}`], assignee: 'liu', timeLimitWorkingDays: 3, openedAt: '2026-11-02T02:00:00.000Z',
    });
    // when
    const event = toEvent('own-sys', record);
    // then it decodes as any platform event of its type
    const decoded = decodeEvent(Buffer.from(JSON.stringify(event)));
    expect(decoded.ok).toBe(true);
    expect(event).toMatchObject({ type: 'gov.approval.step.completed', source: '/supervision/ingestion/own-sys', subject: '449900-20261102-000007', tenantid: '449900' });
    expect(event.data).toMatchObject({ taskId: `ext:${MARKET}:s-1`, openedAt: '2026-11-02T02:00:00.000Z', completedAt: '2026-11-03T02:00:00.000Z', assignee: 'liu' });
  });

  it('refuses records that break the exchange format, naming the field', () => {
    const bad = ExchangeRecord.safeParse({ kind: 'case.decided', recordId: 'has space', caseNumber: 'x', departmentCode: MARKET, occurredAt: 'yesterday', decision: 'maybe', documentNumber: '' });
    expect(bad.success).toBe(false);
    const fields = bad.error?.issues.map((i) => i.path.join('.')).sort();
    expect(fields).toEqual(['caseNumber', 'decision', 'documentNumber', 'occurredAt', 'recordId']);
  });
});
