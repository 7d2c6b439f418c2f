import { makeEvent } from '@gov/contracts';
import pino from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { BusProducer, IncomingMessage, MessageBus, OutgoingMessage } from './bus';
import { type EventHandler, InboxConsumer } from './consumer';

/** An in-memory stand-in for PostgreSQL's inbox table, enough to exercise the consumer's decisions. */
function fakeDataSource() {
  const inbox = new Set<string>();
  const deadLetters: unknown[][] = [];
  const manager = {
    query: async (sql: string, params: unknown[]) => {
      if (sql.includes('INSERT INTO inbox')) {
        const key = `${String(params[0])}|${String(params[1])}`;
        if (inbox.has(key)) return [];
        inbox.add(key);
        return [{ event_id: params[1] }];
      }
      return [];
    },
  } as unknown as EntityManager;
  const ds = {
    transaction: async <T>(fn: (m: EntityManager) => Promise<T>): Promise<T> => {
      const snapshot = new Set(inbox);
      try {
        return await fn(manager);
      } catch (e) {
        inbox.clear();
        snapshot.forEach((k) => inbox.add(k));
        throw e;
      }
    },
    query: async (_sql: string, params: unknown[]) => {
      deadLetters.push(params);
      return [];
    },
  } as unknown as DataSource;
  return { ds, inbox, deadLetters };
}

function fakeProducer() {
  const sent: { topic: string; messages: OutgoingMessage[] }[] = [];
  const producer: BusProducer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: async (topic, messages) => {
      sent.push({ topic, messages });
    },
  };
  return { producer, sent };
}

const event = makeEvent({
  type: 'gov.approval.case.decided',
  source: '/approval',
  subject: '441200-20261122-000001',
  data: { caseNumber: '441200-20261122-000001', processInstanceId: 'p1', decision: 'approved', documentNumber: 'D-1', decidedAt: '2026-11-22T08:00:00.000Z' },
});

function message(value: Buffer | null, offset = '0'): IncomingMessage {
  return { topic: 'approval.case.v1', partition: 0, offset, key: 'k', value, headers: {} };
}

function consumer(handler: EventHandler, maxAttempts = 2) {
  const db = fakeDataSource();
  const dlq = fakeProducer();
  const c = new InboxConsumer({
    bus: {} as MessageBus,
    group: 'test-group',
    topics: ['approval.case.v1'],
    dataSource: db.ds,
    handlers: { 'gov.approval.case.decided': handler },
    logger: pino({ level: 'silent' }),
    maxAttempts,
    deadLetterProducer: dlq.producer,
  });
  return { c, db, dlq };
}

describe('InboxConsumer', () => {
  it('runs after-commit work once the transaction committed, once, and never for a rolled-back attempt or a duplicate', async () => {
    // given: the first attempt registers work and then fails; the second registers work and succeeds
    const log: string[] = [];
    let attempt = 0;
    const { c, db } = consumer(async (_event, _manager, afterCommit) => {
      attempt++;
      const n = attempt;
      afterCommit(async () => {
        log.push(`work of attempt ${n}, inbox rows ${db.inbox.size}`);
      });
      if (n === 1) throw new Error('first attempt fails');
      log.push(`effect of attempt ${n}`);
    }, 3);
    const raw = Buffer.from(JSON.stringify(event));
    // when: delivered, then delivered again
    await c.handle(message(raw, '1'));
    await c.handle(message(raw, '2'));
    // then: only the committed attempt's work ran, after its effect (the inbox row is there), and not for the duplicate
    expect(log).toEqual(['effect of attempt 2', 'work of attempt 2, inbox rows 1']);
  });

  it('logs a failing after-commit work and goes on: the effect stays committed', async () => {
    const { c, db, dlq } = consumer(async (_event, _manager, afterCommit) => {
      afterCommit(async () => {
        throw new Error('engine down');
      });
    });
    await expect(c.handle(message(Buffer.from(JSON.stringify(event))))).resolves.toBeUndefined();
    expect(db.inbox.size).toBe(1);
    expect(dlq.sent).toHaveLength(0);
  });

  it('applies an event once even when it is delivered twice', async () => {
    // given
    const handler = jest.fn(async () => undefined);
    const { c } = consumer(handler);
    const raw = Buffer.from(JSON.stringify(event));
    // when
    await c.handle(message(raw, '1'));
    await c.handle(message(raw, '2'));
    // then
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('dead-letters a malformed message with its reason and does not call the handler', async () => {
    const handler = jest.fn(async () => undefined);
    const { c, dlq } = consumer(handler);
    await c.handle(message(Buffer.from('{not json')));
    expect(handler).not.toHaveBeenCalled();
    expect(dlq.sent).toHaveLength(1);
    expect(dlq.sent[0].topic).toBe('platform.deadletter.v1');
    expect(dlq.sent[0].messages[0].headers!['x-dlq-reason']).toBe('not JSON');
    expect(dlq.sent[0].messages[0].headers!['x-original-topic']).toBe('approval.case.v1');
  });

  it('waits out a dependency outage without dead-lettering, then applies the event once', async () => {
    // given a handler whose database is down twice
    let calls = 0;
    const handler = jest.fn(async () => {
      calls++;
      if (calls <= 2) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    const { c, dlq } = consumer(handler, 1);
    // when
    await c.handle(message(Buffer.from(JSON.stringify(event))));
    // then
    expect(handler).toHaveBeenCalledTimes(3);
    expect(dlq.sent).toHaveLength(0);
  });

  it('skips an event type it does not know instead of dead-lettering it', async () => {
    const handler = jest.fn(async () => undefined);
    const { c, dlq } = consumer(handler);
    await c.handle(message(Buffer.from(JSON.stringify({ ...event, type: 'gov.future.thing.happened' }))));
    expect(handler).not.toHaveBeenCalled();
    expect(dlq.sent).toHaveLength(0);
  });

  it('passes over a known event type it has no handler for without a transaction or an inbox row', async () => {
    // given a consumer of gov.approval.case.decided on a topic that carries other types too
    const handler = jest.fn(async () => undefined);
    const { c, db, dlq } = consumer(handler);
    const transaction = jest.spyOn(db.ds, 'transaction');
    const other = makeEvent({ type: 'gov.approval.step.resumed', source: '/approval', subject: '449900-20261202-000001', data: { caseNumber: '449900-20261202-000001', suspensionId: 's-1', resumedAt: '2026-12-02T02:00:00Z' } });
    // when
    await c.handle(message(Buffer.from(JSON.stringify(other))));
    // then
    expect({ handled: handler.mock.calls.length, transactions: transaction.mock.calls.length, inbox: db.inbox.size, deadLetters: dlq.sent.length }).toEqual({ handled: 0, transactions: 0, inbox: 0, deadLetters: 0 });
  });

  it('retries a failing handler, then dead-letters it, and forgets the inbox row of the failed attempts', async () => {
    const handler = jest.fn(async () => {
      throw new Error('downstream unavailable');
    });
    const { c, dlq, db } = consumer(handler, 2);
    await c.handle(message(Buffer.from(JSON.stringify(event))));
    expect(handler).toHaveBeenCalledTimes(2);
    expect(dlq.sent).toHaveLength(1);
    expect(dlq.sent[0].messages[0].headers!['x-dlq-reason']).toContain('downstream unavailable');
    expect(db.inbox.size).toBe(0);
  });
});
