import { alertHash } from './alerts.repository';

describe('alert ledger hash', () => {
  const alert = {
    id: '6f1c2b1e-6a55-4c9f-9a52-7d1f3f1a0b11',
    stepId: 'task-1',
    caseNumber: '441200-20261122-000001',
    level: 'red' as const,
    deadline: new Date('2026-11-26T15:59:59.999Z'),
    raisedAt: new Date('2026-11-26T16:00:01.000Z'),
  };

  it('detects an edited level or time', () => {
    const h = alertHash('0'.repeat(64), alert);
    expect(alertHash('0'.repeat(64), { ...alert, level: 'yellow' })).not.toBe(h);
    expect(alertHash('0'.repeat(64), { ...alert, raisedAt: new Date('2026-11-27T00:00:00.000Z') })).not.toBe(h);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
  });
});
