import 'reflect-metadata';
import { makeEvent } from '@gov/contracts';
import { InboxConsumer, InboxTransport } from '@gov/messaging';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { START_CASE_CONSUMER, StartCaseConsumer } from './start-case.controller';
import { StartCaseHandler } from './start-case.handler';

describe('the start-case consumer', () => {
  it('hands an accepted application to StartCaseHandler with the inbox context (its transaction manager)', async () => {
    // given the consumer served by the inbox transport over an in-memory inbox
    const manager = { query: async (sql: string) => (sql.includes('INSERT INTO inbox') ? [{ event_id: 'x' }] : []) } as unknown as EntityManager;
    const dataSource = { transaction: async <T>(fn: (m: EntityManager) => Promise<T>) => fn(manager), query: async () => [] } as unknown as DataSource;
    const handle = jest.fn(async () => undefined);
    const consumers: InboxConsumer[] = [];
    const subscriptions: { group: string; topics: string[] }[] = [];
    const transport = new InboxTransport({
      groupPrefix: 'unit.',
      messaging: {
        createConsumer: (group, topics, handlers) => {
          subscriptions.push({ group, topics });
          const c = new InboxConsumer({ bus: { consumer: () => ({ connect: async () => undefined, subscribe: async () => undefined, run: async () => undefined, stop: async () => undefined, disconnect: async () => undefined }), producer: jest.fn(), admin: jest.fn() }, group, topics, dataSource, handlers, logger: pino({ level: 'silent' }), deadLetterProducer: { connect: jest.fn(), disconnect: jest.fn(), send: jest.fn() } });
          consumers.push(c);
          return c;
        },
      },
    });
    @Module({ controllers: [StartCaseConsumer], providers: [{ provide: StartCaseHandler, useValue: { handle } }] })
    class TestModule {}
    const app = await NestFactory.createMicroservice(TestModule, { strategy: transport, logger: false });
    await app.listen();
    const caseNumber = '449900-20261201-000001';
    const event = makeEvent({
      type: 'gov.intake.application.accepted',
      source: '/intake',
      subject: caseNumber,
      data: {
        caseNumber,
        applicationId: '6f1c2b1e-6a55-4c9f-9a52-7d1f3f1a0b11',
        matterCode: 'M-1',
        matterName: '示范事项',
        processKey: 'demo',
        departmentCode: 'D-1',
        tenantId: '449900',
        applicant: { kind: 'person', id: '449901198503120015', name: '张三' },
        acceptedAt: '2026-12-01T08:00:00.000Z',
        timeLimitWorkingDays: 5,
        form: {},
      },
    });
    // when
    await consumers[0].handle({ topic: 'intake.application.v1', partition: 0, offset: '0', key: caseNumber, value: Buffer.from(JSON.stringify(event)), headers: {} });
    // then
    expect(subscriptions).toEqual([{ group: `unit.${START_CASE_CONSUMER}`, topics: ['intake.application.v1'] }]);
    expect(handle).toHaveBeenCalledWith(event, expect.objectContaining({ manager }));
    await app.close();
  });
});
