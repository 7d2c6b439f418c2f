import 'reflect-metadata';
import { type EventType, makeEvent } from '@gov/contracts';
import { Controller, type INestMicroservice, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern } from '@nestjs/microservices';
import pino from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { BusConsumer, BusProducer, IncomingMessage, MessageBus, OutgoingMessage } from '../bus';
import { type EventHandler, InboxConsumer } from '../consumer';
import { InboxTransport } from './inbox.transport';
import { type EventOf, type InboxContext, OnEvent } from './on-event';

const caseNumber = '441200-20261122-000001';
const decided = () =>
  makeEvent({
    type: 'gov.approval.case.decided',
    source: '/approval',
    subject: caseNumber,
    data: { caseNumber, processInstanceId: 'p1', decision: 'approved', documentNumber: 'D-1', decidedAt: '2026-11-22T08:00:00.000Z' },
  });
const message = (value: unknown, offset = '0'): IncomingMessage => ({ topic: 'approval.case.v1', partition: 0, offset, key: caseNumber, value: Buffer.from(JSON.stringify(value)), headers: {} });

/** An in-memory inbox; the manager handed to handlers is the one of the (fake) transaction. */
function fakeDatabase() {
  const inbox = new Set<string>();
  const effects: string[] = [];
  const managers: EntityManager[] = [];
  const ds = {
    transaction: async <T>(fn: (m: EntityManager) => Promise<T>): Promise<T> => {
      const pending: string[] = [];
      const manager = {
        query: async (sql: string, params: unknown[]) => {
          if (sql.includes('INSERT INTO inbox')) {
            const key = `${String(params[0])}|${String(params[1])}`;
            if (inbox.has(key)) return [];
            pending.push(key);
            return [{ event_id: params[1] }];
          }
          if (sql.includes('INSERT INTO effects')) effects.push(String(params[0]));
          return [];
        },
      } as unknown as EntityManager;
      managers.push(manager);
      const before = effects.length;
      try {
        const result = await fn(manager);
        pending.forEach((k) => inbox.add(k));
        return result;
      } catch (e) {
        effects.splice(before);
        throw e;
      }
    },
    query: async () => [],
  } as unknown as DataSource;
  return { ds, inbox, effects, managers };
}

function fakeBus() {
  const subscribed: { group: string; topics: string[] }[] = [];
  let stopped = 0;
  const bus = {
    consumer: (group: string): BusConsumer => ({
      connect: async () => undefined,
      subscribe: async (topics: string[]) => {
        subscribed.push({ group, topics });
      },
      run: async () => undefined,
      stop: async () => {
        stopped++;
      },
      disconnect: async () => undefined,
    }),
  } as unknown as MessageBus;
  return { bus, subscribed, stopped: () => stopped };
}

async function serve(controller: Type, groupPrefix = '', consumes?: (group: string) => boolean) {
  const db = fakeDatabase();
  const { bus, subscribed, stopped } = fakeBus();
  const sent: { topic: string; messages: OutgoingMessage[] }[] = [];
  const producer: BusProducer = { connect: async () => undefined, disconnect: async () => undefined, send: async (topic, messages) => void sent.push({ topic, messages }) };
  const consumers: InboxConsumer[] = [];
  const transport = new InboxTransport({
    groupPrefix,
    ...(consumes ? { consumes } : {}),
    messaging: {
      createConsumer: (group: string, topics: string[], handlers: Partial<Record<EventType, EventHandler>>) => {
        const c = new InboxConsumer({ bus, group, topics, dataSource: db.ds, handlers, logger: pino({ level: 'silent' }), deadLetterProducer: producer, maxAttempts: 2 });
        consumers.push(c);
        return c;
      },
    },
  });
  @Module({ controllers: [controller] })
  class TestModule {}
  const app: INestMicroservice = await NestFactory.createMicroservice(TestModule, { strategy: transport, logger: false });
  await app.listen();
  return { app, db, consumers, subscribed, stopped, dlq: sent };
}

describe('InboxTransport', () => {
  const seen: { event: unknown; ctx: InboxContext }[] = [];
  let failures: Error[] = [];

  @Controller()
  class DecisionsController {
    @OnEvent('gov.approval.case.decided', { group: 'test.decisions' })
    async decided(event: EventOf<'gov.approval.case.decided'>, ctx: InboxContext): Promise<void> {
      seen.push({ event, ctx });
      const failure = failures.shift();
      if (failure) throw failure;
      // typed payload: no cast needed to read the contract's fields
      await ctx.manager.query('INSERT INTO effects (event_id) VALUES ($1)', [`${event.data.documentNumber}:${event.id}`]);
    }
  }

  beforeEach(() => {
    seen.length = 0;
    failures = [];
  });

  it('serves an @OnEvent handler with the typed event and the EntityManager of the inbox transaction', async () => {
    // given
    const { app, db, consumers, subscribed } = await serve(DecisionsController, 'test-1a2b.');
    const event = decided();
    // when the consumer delivers the event twice
    await consumers[0].handle(message(event, '1'));
    await consumers[0].handle(message(event, '2'));
    // then one consumer in the prefixed group subscribes to the type's topic, the handler ran once, and its effect
    // was written through the manager of the transaction that inserted the inbox row
    expect(subscribed).toEqual([{ group: 'test-1a2b.test.decisions', topics: ['approval.case.v1'] }]);
    expect(seen).toHaveLength(1);
    expect(seen[0].event).toEqual(event);
    expect(seen[0].ctx.group).toBe('test-1a2b.test.decisions');
    expect(db.managers).toContain(seen[0].ctx.manager);
    expect(db.effects).toEqual([`D-1:${event.id}`]);
    expect(db.inbox.size).toBe(1);
    await app.close();
  });

  it('hands a dependency outage back to the inbox intact, so the event is retried and applied once, not dead-lettered', async () => {
    // given a handler whose database is down once
    failures = [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })];
    const { app, db, consumers, dlq } = await serve(DecisionsController);
    // when
    await consumers[0].handle(message(decided()));
    // then
    expect(seen).toHaveLength(2);
    expect(db.effects).toHaveLength(1);
    expect(dlq).toHaveLength(0);
    await app.close();
  });

  it('dead-letters an event whose handler keeps failing, with the handler’s own message, and rolls its effect back', async () => {
    // given
    failures = [new Error('document number already used'), new Error('document number already used')];
    const { app, db, consumers, dlq } = await serve(DecisionsController);
    // when
    await consumers[0].handle(message(decided()));
    // then
    expect(dlq).toHaveLength(1);
    expect(dlq[0].messages[0].headers!['x-dlq-reason']).toBe('handler failed 2 times: document number already used');
    expect(db.effects).toHaveLength(0);
    expect(db.inbox.size).toBe(0);
    await app.close();
  });

  it('stops its consumers when the app closes', async () => {
    const { app, stopped } = await serve(DecisionsController);
    await app.close();
    expect(stopped()).toBe(1);
  });

  it('serves one event type to handlers of two groups, each with its own consumer, and refuses two handlers of one type in one group', async () => {
    // given
    const calls: string[] = [];
    @Controller()
    class TwoGroups {
      @OnEvent('gov.approval.case.decided', { group: 'g.one' })
      async one(event: EventOf<'gov.approval.case.decided'>): Promise<void> {
        calls.push(`one:${event.data.documentNumber}`);
      }
      @OnEvent('gov.approval.case.decided', { group: 'g.two' })
      async two(event: EventOf<'gov.approval.case.decided'>): Promise<void> {
        calls.push(`two:${event.data.documentNumber}`);
      }
    }
    @Controller()
    class SameGroup {
      @OnEvent('gov.approval.case.decided', { group: 'g.one' })
      async one(): Promise<void> {}
      @OnEvent('gov.approval.case.decided', { group: 'g.one' })
      async again(): Promise<void> {}
    }
    // when
    const { app, consumers, subscribed } = await serve(TwoGroups);
    for (const c of consumers) await c.handle(message(decided()));
    // then
    expect(subscribed.map((s) => s.group).sort()).toEqual(['g.one', 'g.two']);
    expect(calls.sort()).toEqual(['one:D-1', 'two:D-1']);
    await app.close();
    await expect(serve(SameGroup)).rejects.toThrow(/more than one @OnEvent handler in group g.one/);
  });

  it('runs only the groups `consumes` accepts (named without the prefix)', async () => {
    // given
    @Controller()
    class TwoGroups {
      @OnEvent('gov.approval.case.decided', { group: 'g.kept' })
      async kept(): Promise<void> {}
      @OnEvent('gov.approval.case.decided', { group: 'g.off' })
      async off(): Promise<void> {}
    }
    // when
    const { app, subscribed } = await serve(TwoGroups, 'test-9.', (group) => group === 'g.kept');
    // then
    expect(subscribed).toEqual([{ group: 'test-9.g.kept', topics: ['approval.case.v1'] }]);
    await app.close();
  });

  it('refuses a plain @EventPattern without a consumer group, and a pattern that is not an event type', async () => {
    // given
    @Controller()
    class NoGroup {
      @EventPattern('gov.approval.case.decided')
      async handle(): Promise<void> {}
    }
    @Controller()
    class UnknownType {
      @OnEvent('gov.approval.case.decided', { group: 'g' })
      async handle(): Promise<void> {}
      @EventPattern('gov.approval.case.invented', { group: 'g' })
      async invented(): Promise<void> {}
    }
    // when / then
    await expect(serve(NoGroup)).rejects.toThrow(/names no consumer group/);
    await expect(serve(UnknownType)).rejects.toThrow(/no such event type/);
  });
});

// Compile-time: a handler must accept the event type it is registered for (typecheck fails otherwise).
export class MismatchedHandler {
  // @ts-expect-error a handler of gov.approval.step.opened cannot take a gov.approval.case.decided event
  @OnEvent('gov.approval.step.opened', { group: 'g' })
  async wrong(event: EventOf<'gov.approval.case.decided'>): Promise<void> {
    void event.data.documentNumber;
  }
}
