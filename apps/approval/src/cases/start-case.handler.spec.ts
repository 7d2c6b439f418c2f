import type { ApplicationAcceptedData, CloudEvent } from '@gov/contracts';
import type { CamundaClient } from '@gov/workflow';
import type { EntityManager } from 'typeorm';
import type { CasesRepository } from './cases.repository';
import { StartCaseHandler, isIntakeSource } from './start-case.handler';

describe('StartCaseHandler', () => {
  it('starts nothing for an accepted case that a department decided in its own system (ingested by supervision)', async () => {
    // given
    const calls: string[] = [];
    const cases = { upsertAndLock: async () => (calls.push('upsert'), { processInstanceId: null }) } as unknown as CasesRepository;
    const engine = { processInstances: async () => (calls.push('engine'), []) } as unknown as CamundaClient;
    const handler = new StartCaseHandler(cases, engine);
    const event = { source: '/supervision/ingestion/own-system', data: { caseNumber: '449900-20261102-000001' } } as unknown as CloudEvent<ApplicationAcceptedData>;
    // when
    await handler.handle(event, {} as EntityManager);
    // then
    expect(calls).toEqual([]);
  });

  it("recognises intake's own events", () => {
    expect(isIntakeSource('/intake')).toBe(true);
    expect(isIntakeSource('/intake/acceptance')).toBe(true);
    expect(isIntakeSource('/intakes')).toBe(false);
    expect(isIntakeSource('/supervision/ingestion/x')).toBe(false);
  });
});
