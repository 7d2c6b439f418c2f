import type { ApplicationAcceptedData, CloudEvent } from '@gov/contracts';
import type { EntityManager } from 'typeorm';
import type { CaseStarter } from './case-starter';
import type { CasesRepository } from './cases.repository';
import { ReportsToMissing, StartCaseHandler, isIntakeSource } from './start-case.handler';

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

  it('puts the higher-level tenant and department of a 上报件 into the instance and the case', async () => {
    // given
    const recorded: unknown[] = [];
    const cases = { record: async (_m: unknown, c: unknown, spec: unknown) => (recorded.push(c, spec), { processInstanceId: null, status: 'accepted' }) } as unknown as CasesRepository;
    const handler = new StartCaseHandler(cases, { start: async () => 'started' } as unknown as CaseStarter);
    const reportsTo = { level: 'city', tenantId: '449900', departmentCode: '11449900000000111Y', departmentName: '示范市市场监督管理局' };
    const event = { source: '/intake', data: { caseNumber: '449901-20261102-000003', processKey: 'higher-level-submission', applicant: { name: '张三' }, timeLimitWorkingDays: 20, reportsTo } } as unknown as CloudEvent<ApplicationAcceptedData>;
    // when
    await handler.handle(event, { manager: {} as EntityManager, afterCommit: () => undefined });
    // then
    expect(recorded[0]).toMatchObject({ reportsToTenantId: '449900', reportsToDepartmentCode: '11449900000000111Y' });
    expect(recorded[1]).toMatchObject({ variables: { cityTenantId: '449900', cityDepartmentCode: '11449900000000111Y' } });
  });

  it('refuses a 上报件 whose accepted event names no higher-level department, recording nothing (dead-lettered with the reason)', async () => {
    // given
    const calls: string[] = [];
    const cases = { record: async () => (calls.push('record'), { processInstanceId: null, status: 'accepted' }) } as unknown as CasesRepository;
    const handler = new StartCaseHandler(cases, { start: async () => 'started' } as unknown as CaseStarter);
    const event = { source: '/intake', data: { caseNumber: '449901-20261102-000004', matterCode: 'DEMO-SCJG-010', processKey: 'higher-level-submission', applicant: { name: '张三' }, timeLimitWorkingDays: 20 } } as unknown as CloudEvent<ApplicationAcceptedData>;
    // when
    const handled = handler.handle(event, { manager: {} as EntityManager, afterCommit: () => calls.push('after-commit') });
    // then
    await expect(handled).rejects.toThrow(ReportsToMissing);
    await expect(handled).rejects.toThrow(/names no reportsTo/);
    expect(calls).toEqual([]);
  });

  it("recognises intake's own events", () => {
    expect(isIntakeSource('/intake')).toBe(true);
    expect(isIntakeSource('/intake/acceptance')).toBe(true);
    expect(isIntakeSource('/intakes')).toBe(false);
    expect(isIntakeSource('/supervision/ingestion/x')).toBe(false);
  });
});
