import { opinionHash, type OpinionRecord } from './opinions.repository';

const opinion: OpinionRecord = {
  caseNumber: '441200-20261122-000001',
  taskId: 't1',
  taskDefinitionKey: 'HandlerReview',
  stepName: '承办人审查',
  officerId: 'officer-1',
  officerLabel: '承办人刘明',
  outcome: 'approve',
  opinion: '材料齐全，拟同意。',
  createdAt: new Date('2026-11-22T08:00:00.000Z'),
};

describe('opinion hash chain', () => {
  const genesis = '0'.repeat(64);

  it('is deterministic for the same record and predecessor', () => {
    expect(opinionHash(genesis, opinion)).toBe(opinionHash(genesis, { ...opinion }));
  });

  it('changes when any recorded field changes', () => {
    const base = opinionHash(genesis, opinion);
    expect(opinionHash(genesis, { ...opinion, opinion: '不同意' })).not.toBe(base);
    expect(opinionHash(genesis, { ...opinion, officerId: 'officer-2' })).not.toBe(base);
    expect(opinionHash(genesis, { ...opinion, createdAt: new Date('2026-11-22T08:00:00.001Z') })).not.toBe(base);
  });

  it('binds each record to its predecessor', () => {
    expect(opinionHash('f'.repeat(64), opinion)).not.toBe(opinionHash(genesis, opinion));
  });
});
