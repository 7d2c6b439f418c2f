import { ALL_WORKER_TOPICS } from '@gov/contracts';
import type { DataSource } from 'typeorm';
import type { CasesRepository } from '../cases/cases.repository';
import type { DecisionsRepository } from './decisions.repository';
import type { OpinionsRepository, StoredOpinion } from '../worklist/opinions.repository';
import type { ApprovalConfig } from '../config';
import type { FeesRepository } from '../fees/fees.repository';
import { RequestPaymentWorker } from '../fees/request-payment.worker';
import type { EndCaseHandler } from './end-case.handler';
import { IssueDecisionWorker, addIsoDuration, decisionDetails, revocationReasons } from './issue-decision.worker';

describe('external-task workers', () => {
  it('register a worker for every topic the flows may use', () => {
    // Flows are linted against ALL_WORKER_TOPICS; this keeps that list honest on the worker side.
    const workers = [
      new IssueDecisionWorker({} as DataSource, {} as CasesRepository, {} as DecisionsRepository, {} as OpinionsRepository, {} as EndCaseHandler),
      new RequestPaymentWorker({} as ApprovalConfig, {} as DataSource, {} as CasesRepository, {} as FeesRepository),
    ];
    expect(workers.map((w) => w.topic).sort()).toEqual([...ALL_WORKER_TOPICS].sort());
  });

  it('refuses a task without a business key instead of inventing a case', async () => {
    const worker = new IssueDecisionWorker({ transaction: jest.fn() } as unknown as DataSource, {} as CasesRepository, {} as DecisionsRepository, {} as OpinionsRepository, {} as EndCaseHandler);
    await expect(
      worker.handle({ id: 't', topic: 'issue-decision', processInstanceId: 'p1', businessKey: null, tenantId: null, activityId: 'IssueDecision', retries: null, variables: {} }),
    ).rejects.toThrow(/no business key/);
  });

  it('refuses a decision kind no flow may ask for instead of issuing an approval', async () => {
    // given a flow asking for a kind the worker does not know
    const transaction = jest.fn();
    const worker = new IssueDecisionWorker({ transaction } as unknown as DataSource, {} as CasesRepository, {} as DecisionsRepository, {} as OpinionsRepository, {} as EndCaseHandler);
    // when / then
    await expect(
      worker.handle({ id: 't', topic: 'issue-decision', processInstanceId: 'p1', businessKey: '449900-20261202-000000001', tenantId: null, activityId: 'IssueSomething', retries: null, variables: { decision: 'postponed' } }),
    ).rejects.toThrow(/"postponed" requested by IssueSomething is not one this worker issues/);
    expect(transaction).not.toHaveBeenCalled();
  });

  it('adds the flow\'s ISO-8601 verification period to the decision time as the engine\'s timer does', () => {
    const at = new Date('2026-01-31T02:00:00Z');
    expect(addIsoDuration(at, 'P30D')?.toISOString()).toBe('2026-03-02T02:00:00.000Z');
    expect(addIsoDuration(at, 'P1M')?.toISOString()).toBe('2026-02-28T02:00:00.000Z');
    expect(addIsoDuration(at, 'P2W')?.toISOString()).toBe('2026-02-14T02:00:00.000Z');
    expect(addIsoDuration(at, 'PT1H30M')?.toISOString()).toBe('2026-01-31T03:30:00.000Z');
    expect(addIsoDuration(at, 'P1Y')?.toISOString()).toBe('2027-01-31T02:00:00.000Z');
    expect(addIsoDuration(at, '30 days')).toBeNull();
    expect(addIsoDuration(at, 'P')).toBeNull();
  });

  it('prints the flow\'s revocation reason, else the opinions given after the approval', () => {
    const approvedAt = new Date('2026-12-01T00:00:00Z');
    const opinion = (text: string, at: string) => ({ opinion: text, createdAt: new Date(at) }) as StoredOpinion;
    const opinions = [opinion('准予许可。', '2026-11-30T00:00:00Z'), opinion('核查发现承诺虚假：无冷藏设施。', '2026-12-20T00:00:00Z'), opinion(' 撤销许可。 ', '2026-12-21T00:00:00Z')];
    expect(revocationReasons(undefined, opinions, approvedAt)).toEqual(['核查发现承诺虚假：无冷藏设施。', '撤销许可。']);
    expect(revocationReasons(' 虚假承诺 ', opinions, approvedAt)).toEqual(['虚假承诺']);
  });

  it('names the officer who signed the decision off and, for a refusal, the reasons the disagreeing officers gave (seed 001 text 3 art. 20)', () => {
    const opinion = (officerId: string, officerLabel: string, outcome: 'approve' | 'reject', text: string) => ({ officerId, officerLabel, outcome, opinion: text }) as StoredOpinion;
    const opinions = [opinion('liu', '承办人刘明', 'approve', '材料齐全。'), opinion('li', '处长李强', 'reject', '  经营场所不符合卫生要求。 '), opinion('zhou', '分管领导周华', 'reject', '同意处室意见，不予许可。')];
    expect(decisionDetails('rejected', 'D-1', opinions)).toEqual({
      decidingDepartmentCode: 'D-1',
      decidedBy: { id: 'zhou', name: '分管领导周华' },
      reasons: ['经营场所不符合卫生要求。', '同意处室意见，不予许可。'],
    });
    expect(decisionDetails('approved', 'D-1', opinions.slice(0, 1))).toEqual({ decidingDepartmentCode: 'D-1', decidedBy: { id: 'liu', name: '承办人刘明' } });
    expect(decisionDetails('approved', 'D-1', [])).toEqual({ decidingDepartmentCode: 'D-1' });
  });
});
