import { ALL_WORKER_TOPICS } from '@gov/contracts';
import type { DataSource } from 'typeorm';
import type { CasesRepository } from '../cases/cases.repository';
import type { DecisionsRepository } from './decisions.repository';
import { IssueDecisionWorker } from './issue-decision.worker';

describe('external-task workers', () => {
  it('register a worker for every topic the flows may use', () => {
    // Flows are linted against ALL_WORKER_TOPICS; this keeps that list honest on the worker side.
    const workers = [new IssueDecisionWorker({} as DataSource, {} as CasesRepository, {} as DecisionsRepository)];
    expect(workers.map((w) => w.topic).sort()).toEqual([...ALL_WORKER_TOPICS].sort());
  });

  it('refuses a task without a business key instead of inventing a case', async () => {
    const worker = new IssueDecisionWorker({ transaction: jest.fn() } as unknown as DataSource, {} as CasesRepository, {} as DecisionsRepository);
    await expect(
      worker.handle({ id: 't', topic: 'issue-decision', processInstanceId: 'p1', businessKey: null, tenantId: null, activityId: 'IssueDecision', retries: null, variables: {} }),
    ).rejects.toThrow(/no business key/);
  });

  it('refuses a decision kind it does not issue (withdrawal, revocation, filing) instead of issuing an approval', async () => {
    // given a withdrawal subprocess asking for a 准予撤回 decision
    const transaction = jest.fn();
    const worker = new IssueDecisionWorker({ transaction } as unknown as DataSource, {} as CasesRepository, {} as DecisionsRepository);
    // when / then
    await expect(
      worker.handle({ id: 't', topic: 'issue-decision', processInstanceId: 'p1', businessKey: '449900-20261202-000000001', tenantId: null, activityId: 'IssueWithdrawal', retries: null, variables: { decision: 'withdrawn' } }),
    ).rejects.toThrow(/"withdrawn" requested by IssueWithdrawal is not issued/);
    expect(transaction).not.toHaveBeenCalled();
  });
});
