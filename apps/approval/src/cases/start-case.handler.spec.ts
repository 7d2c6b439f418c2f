import type { ApplicationAcceptedData, CloudEvent } from '@gov/contracts';
import type { EntityManager } from 'typeorm';
import type { CaseStarter } from './case-starter';
import type { CasesRepository } from './cases.repository';
import { StartCaseHandler, isIntakeSource } from './start-case.handler';

describe('StartCaseHandler', () => {
  it('starts nothing for an accepted case that a department decided in its own system (ingested by supervision)', async () => {
    // given
    const calls: string[] = [];
    const cases = { record: async () => (calls.push('record'), { processInstanceId: null, status: 'accepted' }) } as unknown as CasesRepository;
    const starter = { start: async () => (calls.push('start'), 'started') } as unknown as CaseStarter;
    const handler = new StartCaseHandler(cases, starter);
    const event = { source: '/supervision/ingestion/own-system', data: { caseNumber: '449900-20261102-000001' } } as unknown as CloudEvent<ApplicationAcceptedData>;
    // when
    await handler.handle(event, { manager: {} as EntityManager, afterCommit: () => calls.push('after-commit') });
    // then
    expect(calls).toEqual([]);
  });

  it('records an accepted case in the inbox transaction and starts it only after the commit', async () => {
    // given
    const calls: string[] = [];
    const work: (() => Promise<void>)[] = [];
    const cases = { record: async () => (calls.push('record'), { processInstanceId: null, status: 'accepted' }) } as unknown as CasesRepository;
    const starter = { start: async () => (calls.push('start'), 'started') } as unknown as CaseStarter;
    const handler = new StartCaseHandler(cases, starter);
    const event = { source: '/intake', data: { caseNumber: '449900-20261102-000002', applicant: { name: '张三' }, timeLimitWorkingDays: 20, promisedLimitWorkingDays: 7 } } as unknown as CloudEvent<ApplicationAcceptedData>;
    // when
    await handler.handle(event, { manager: {} as EntityManager, afterCommit: (w) => work.push(w) });
    // then: nothing asked of the engine inside the transaction; the start is the after-commit work
    expect(calls).toEqual(['record']);
    expect(work).toHaveLength(1);
    await work[0]();
    expect(calls).toEqual(['record', 'start']);
  });

  it("recognises intake's own events", () => {
    expect(isIntakeSource('/intake')).toBe(true);
    expect(isIntakeSource('/intake/acceptance')).toBe(true);
    expect(isIntakeSource('/intakes')).toBe(false);
    expect(isIntakeSource('/supervision/ingestion/x')).toBe(false);
  });
});
