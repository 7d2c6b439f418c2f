import { ALL_WORKER_TOPICS } from '@gov/contracts';
import type { DataSource } from 'typeorm';
import type { CasesRepository } from '../cases/cases.repository';
import type { DecisionsRepository } from './decisions.repository';
import type { OpinionsRepository, StoredOpinion } from '../worklist/opinions.repository';
import type { ApprovalConfig } from '../config';
import type { FeesRepository } from '../fees/fees.repository';
import { RequestPaymentWorker } from '../fees/request-payment.worker';
import { IssueDecisionWorker, decisionDetails } from './issue-decision.worker';

describe('external-task workers', () => {
  it('register a worker for every topic the flows may use', () => {
    // Flows are linted against ALL_WORKER_TOPICS; this keeps that list honest on the worker side.
    const workers = [
      new IssueDecisionWorker({} as DataSource, {} as CasesRepository, {} as DecisionsRepository, {} as OpinionsRepository),
      new RequestPaymentWorker({} as ApprovalConfig, {} as DataSource, {} as CasesRepository, {} as FeesRepository),
    ];
    expect(workers.map((w) => w.topic).sort()).toEqual([...ALL_WORKER_TOPICS].sort());
  });

  it('refuses a task without a business key instead of inventing a case', async () => {
    const worker = new IssueDecisionWorker({ transaction: jest.fn() } as unknown as DataSource, {} as CasesRepository, {} as DecisionsRepository, {} as OpinionsRepository);
    await expect(
      worker.handle({ id: 't', topic: 'issue-decision', processInstanceId: 'p1', businessKey: null, tenantId: null, activityId: 'IssueDecision', retries: null, variables: {} }),
    ).rejects.toThrow(/no business key/);
  });

  it('refuses a decision kind it does not issue (withdrawal, revocation, filing) instead of issuing an approval', async () => {
    // given a withdrawal subprocess asking for a 准予撤回 decision
    const transaction = jest.fn();
    const worker = new IssueDecisionWorker({ transaction } as unknown as DataSource, {} as CasesRepository, {} as DecisionsRepository, {} as OpinionsRepository);
    // when / then
    await expect(
      worker.handle({ id: 't', topic: 'issue-decision', processInstanceId: 'p1', businessKey: '449900-20261202-000000001', tenantId: null, activityId: 'IssueWithdrawal', retries: null, variables: { decision: 'withdrawn' } }),
    ).rejects.toThrow(/"withdrawn" requested by IssueWithdrawal is not issued/);
    expect(transaction).not.toHaveBeenCalled();
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
