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
});
