import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { makeEvent, TOPICS } from '@gov/contracts';
import { TopicCollector, eventually, kafka, sql } from '@gov/testing';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { InboxConsumer } from './consumer';
import { KafkaJsBus } from './kafkajs.adapter';
import { enqueueEvent } from './outbox';
import { OutboxRelay } from './relay';
import { INBOX_DDL, OUTBOX_DDL, OUTBOX_LEASE_DDL } from './schema';

const TEST_DB = 'messaging_test';
const ROOT = join(__dirname, '../../../../..');
const FIXTURE = join(__dirname, '../testing/fault.fixture.ts');
const logger = pino({ level: 'silent' });
const bus = new KafkaJsBus({ clientId: 'messaging-it', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logger });
const connection = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: 'postgres', database: TEST_DB };
let ds: DataSource;
// Everything a test starts is stopped after it, pass or fail, so a failure never leaves consumers running.
const cleanups: (() => Promise<unknown>)[] = [];
function track<T extends { stop(): Promise<unknown> } | { disconnect(): Promise<unknown> }>(x: T): T {
  cleanups.push(() => ('stop' in x ? x.stop() : x.disconnect()).catch(() => undefined));
  return x;
}
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function decided(caseSeq: number) {
  const caseNumber = `441200-20261122-${String(caseSeq).padStart(6, '0')}`;
  return makeEvent({
    type: 'gov.approval.case.decided',
    source: '/test',
    subject: caseNumber,
    data: { caseNumber, processInstanceId: 'p', decision: 'approved', documentNumber: `D-${caseSeq}`, decidedAt: new Date().toISOString() },
  });
}

async function createTopic(partitions = 1): Promise<string> {
  const topic = `test.messaging.${randomUUID().slice(0, 8)}.v1`;
  const admin = kafka().admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] });
  await admin.disconnect();
  return topic;
}

/** Inserts an outbox row for `topic` (tests route events to their own topic). */
async function enqueueTo(topic: string, event: ReturnType<typeof decided>, commit: boolean): Promise<void> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    await enqueueEvent(runner.manager, event);
    await runner.manager.query('UPDATE outbox SET topic = $1 WHERE id = $2', [topic, event.id]);
    if (commit) await runner.commitTransaction();
    else await runner.rollbackTransaction();
  } finally {
    await runner.release();
  }
}

function runFixture(env: Record<string, string>): { done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>; kill: () => void; stdout: () => string } {
  // One node process (swc-node compiles the TypeScript with decorator metadata), so the fixture's SIGKILL is what
  // the test observes.
  const child = spawn(process.execPath, ['-r', '@swc-node/register', FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'), TEST_DB, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout: out })),
  );
  return { done, kill: () => child.kill('SIGTERM'), stdout: () => out };
}

beforeAll(async () => {
  await sql('postgres', `DROP DATABASE IF EXISTS ${TEST_DB} WITH (FORCE)`);
  await sql('postgres', `CREATE DATABASE ${TEST_DB}`);
  await sql(TEST_DB, OUTBOX_DDL + ';' + OUTBOX_LEASE_DDL + ';' + INBOX_DDL + 'CREATE TABLE effects (id bigserial PRIMARY KEY, event_id text NOT NULL);');
  ds = new DataSource({ type: 'postgres', ...connection, username: 'postgres' });
  await ds.initialize();
});

afterAll(async () => {
  await ds?.destroy();
});

describe('transactional outbox', () => {
  it('never publishes an event written in a rolled-back transaction, and publishes a committed one', async () => {
    // given
    const topic = await createTopic();
    const rolledBack = decided(1);
    const committed = decided(2);
    await enqueueTo(topic, rolledBack, false);
    await enqueueTo(topic, committed, true);
    const collector = track(await new TopicCollector([topic]).start());
    const producer = track(bus.producer());
    await producer.connect();
    const relay = track(new OutboxRelay({ connection, producer, logger }));
    // when
    await relay.drainOnce();
    // then
    await collector.until('the committed event', (c) => c.events().some((e) => e.id === committed.id));
    await new Promise((r) => setTimeout(r, 1000));
    const ids = collector.events().map((e) => e.id);
    expect(ids).toEqual([committed.id]);
    expect(await sql(TEST_DB, 'SELECT 1 FROM outbox WHERE id = $1', [rolledBack.id])).toHaveLength(0);
  });

  it('holds no transaction while Kafka is asked, and two relays side by side keep every key in order', async () => {
    // given 45 events over 3 keys (cases), committed in order
    const topic = await createTopic(3);
    const events = Array.from({ length: 45 }, (_, i) => decided(100 + (i % 3)));
    for (const e of events) await enqueueTo(topic, e, true);
    const collector = track(await new TopicCollector([topic]).start());
    // and a producer that, while Kafka is asked, looks at what the relay's connections are doing
    const inner = track(bus.producer());
    await inner.connect();
    const duringSend: string[] = [];
    const producer = {
      connect: () => inner.connect(),
      disconnect: () => inner.disconnect(),
      send: async (t: string, messages: Parameters<typeof inner.send>[1]) => {
        const rows = await sql<{ state: string }>(TEST_DB, `SELECT state FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [TEST_DB]);
        duringSend.push(...rows.map((r) => r.state));
        await new Promise((r) => setTimeout(r, 5));
        return inner.send(t, messages);
      },
    };
    // when two relays drain the outbox at once, in small batches
    const a = track(new OutboxRelay({ connection, producer, logger, batchSize: 4 }));
    const b = track(new OutboxRelay({ connection, producer, logger, batchSize: 4 }));
    await Promise.all([a.drainOnce(), b.drainOnce()]);
    // (each stops when a claim finds nothing: the other relay may hold the head of every key for a moment)
    await eventually('every event published', async () => (await a.drainOnce()) + (await b.drainOnce()) === 0 && (await a.unpublishedCount()) === 0, 30_000);
    await collector.until('all 45 events', (c) => new Set(c.events().map((e) => e.id)).size === 45);
    // then no relay connection sat in a transaction during a send
    expect(duringSend.length).toBeGreaterThan(0);
    expect(duringSend.filter((state) => state.startsWith('idle in transaction'))).toEqual([]);
    // and each case's events arrived in the order they were committed
    for (const key of new Set(events.map((e) => e.subject))) {
      const sent = events.filter((e) => e.subject === key).map((e) => e.id);
      const seen = [...new Set(collector.events().filter((e) => e.subject === key).map((e) => e.id))];
      expect(seen).toEqual(sent);
    }
  });

  it('hands each published batch to its taps once Kafka has it and the rows are marked, and goes on when a tap fails', async () => {
    // given two committed events and a relay with a failing tap and a recording one
    const topic = await createTopic();
    const events = [decided(200), decided(201)];
    for (const e of events) await enqueueTo(topic, e, true);
    const producer = track(bus.producer());
    await producer.connect();
    const relay = track(new OutboxRelay({ connection, producer, logger }));
    const seen: { type: string; id: string; unpublished: number }[] = [];
    relay.tap(async () => {
      throw new Error('a read model down');
    });
    relay.tap(async (batch) => {
      const unpublished = (await sql<{ n: number }>(TEST_DB, 'SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1::uuid[]) AND published_at IS NULL', [batch.map((b) => (b.payload as { id: string }).id)]))[0].n;
      seen.push(...batch.map((b) => ({ type: b.type, id: (b.payload as { id: string }).id, unpublished })));
    });
    // when
    await relay.drainOnce();
    // then both reached the recording tap, already marked published
    expect(seen.map((s) => s.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(seen.every((s) => s.type === 'gov.approval.case.decided' && s.unpublished === 0)).toBe(true);
  });

  it('delivers a committed event exactly once after dedupe when the relay is killed -9 between publishing and marking', async () => {
    // given an event committed to the outbox
    const topic = await createTopic();
    const event = decided(3);
    await enqueueTo(topic, event, true);
    const collector = track(await new TopicCollector([topic]).start());

    // when the relay publishes it and is killed before marking the row
    // (a lease long enough that the next relay process, started on a loaded machine, still finds it held)
    const crashed = await runFixture({ ROLE: 'relay', FAULT: 'after-publish', LEASE_MS: '8000' }).done;
    expect(crashed.signal).toBe('SIGKILL');
    await collector.until('the first publish', (c) => c.events().length === 1);
    expect(await sql(TEST_DB, 'SELECT published_at FROM outbox WHERE id = $1', [event.id])).toEqual([{ published_at: null }]);

    // and a relay runs while the dead relay's lease still holds: it leaves the row alone
    const early = await runFixture({ ROLE: 'relay', LEASE_MS: '1500' }).done;
    expect(early.stdout).toContain('published 0');
    // and again once the lease has run out
    await eventually('the dead relay\'s lease run out', async () => (await sql<{ over: boolean }>(TEST_DB, 'SELECT lease_until < now() AS over FROM outbox WHERE id = $1', [event.id]))[0]?.over === true, 30_000, 250);
    const rerun = await runFixture({ ROLE: 'relay', LEASE_MS: '1500' }).done;
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('published 1');
    await collector.until('the republish', (c) => c.events().length === 2);

    // then the row is marked, both copies carry the same event id, and a consumer applies it once
    expect(await sql(TEST_DB, 'SELECT count(*)::int AS n FROM outbox WHERE id = $1 AND published_at IS NOT NULL', [event.id])).toEqual([{ n: 1 }]);
    expect(new Set(collector.events().map((e) => e.id))).toEqual(new Set([event.id]));
    const group = `it-dedupe-${randomUUID().slice(0, 8)}`;
    const consumer = runFixture({ ROLE: 'consumer', GROUP: group, TOPIC: topic });
    await eventually('both copies consumed', async () => (consumer.stdout().match(/^outcome /gm)?.length ?? 0) >= 2, 30_000);
    consumer.kill();
    await consumer.done;
    expect(consumer.stdout()).toContain('outcome applied');
    expect(consumer.stdout()).toContain('outcome duplicate');
    expect(await sql(TEST_DB, 'SELECT count(*)::int AS n FROM effects WHERE event_id = $1', [event.id])).toEqual([{ n: 1 }]);
  });
});

describe('inbox consumer', () => {
  it('does not apply an effect twice when the consumer crashes after the effect and before committing its offset', async () => {
    // given an event on a topic
    const topic = await createTopic();
    const event = decided(4);
    const producer = track(bus.producer());
    await producer.connect();
    await producer.send(topic, [{ key: event.subject, value: JSON.stringify(event) }]);
    const group = `it-crash-${randomUUID().slice(0, 8)}`;

    // when the consumer applies it and is killed -9 before the offset commit
    const first = await runFixture({ ROLE: 'consumer', GROUP: group, TOPIC: topic, FAULT: 'after-effect' }).done;
    expect(first.signal).toBe('SIGKILL');
    expect(await sql(TEST_DB, 'SELECT count(*)::int AS n FROM effects WHERE event_id = $1', [event.id])).toEqual([{ n: 1 }]);

    // and a new consumer of the same group gets the message again
    const second = runFixture({ ROLE: 'consumer', GROUP: group, TOPIC: topic });
    await eventually('the redelivery', async () => second.stdout().includes('outcome duplicate'), 45_000);
    second.kill();
    await second.done;

    // then the effect exists once
    expect(await sql(TEST_DB, 'SELECT count(*)::int AS n FROM effects WHERE event_id = $1', [event.id])).toEqual([{ n: 1 }]);
    expect(second.stdout()).not.toContain('outcome applied');
  });

  it('does not apply an effect twice when a Nest @OnEvent consumer (InboxTransport) is killed -9 after the effect', async () => {
    // given an event on a topic
    const topic = await createTopic();
    const event = decided(7);
    const producer = track(bus.producer());
    await producer.connect();
    await producer.send(topic, [{ key: event.subject, value: JSON.stringify(event) }]);
    const group = `it-nest-${randomUUID().slice(0, 8)}.fault`;

    // when the Nest handler applies it and the process is killed -9 before the offset commit
    const first = await runFixture({ ROLE: 'nest-consumer', GROUP: group, TOPIC: topic, FAULT: 'after-effect' }).done;
    expect(first.signal).toBe('SIGKILL');
    expect(await sql(TEST_DB, 'SELECT count(*)::int AS n FROM effects WHERE event_id = $1', [event.id])).toEqual([{ n: 1 }]);

    // and a new process of the same group gets the message again, then stops gracefully on SIGTERM
    const second = runFixture({ ROLE: 'nest-consumer', GROUP: group, TOPIC: topic });
    await eventually('the redelivery', async () => second.stdout().includes('outcome duplicate'), 45_000);
    second.kill();
    expect((await second.done).code).toBe(0);

    // then the effect exists once, recorded in the inbox of the prefixed group
    expect(await sql(TEST_DB, 'SELECT count(*)::int AS n FROM effects WHERE event_id = $1', [event.id])).toEqual([{ n: 1 }]);
    expect(await sql(TEST_DB, 'SELECT consumer FROM inbox WHERE event_id = $1', [event.id])).toEqual([{ consumer: group }]);
    expect(second.stdout()).not.toContain('outcome applied');
  });

  it('dead-letters a malformed message and keeps the partition flowing', async () => {
    // given valid, malformed, valid on one partition
    const topic = await createTopic(1);
    const before = decided(5);
    const after = decided(6);
    const poisonKey = `poison-${randomUUID()}`;
    const producer = track(bus.producer());
    await producer.connect();
    await producer.send(topic, [
      { key: 'k', value: JSON.stringify(before) },
      { key: poisonKey, value: '{"this is": "not a CloudEvent"' },
      { key: 'k', value: JSON.stringify(after) },
    ]);
    const dlq = track(await new TopicCollector([TOPICS.deadLetter.name]).start());
    const consumer = track(new InboxConsumer({
      bus,
      group: `it-dlq-${randomUUID().slice(0, 8)}`,
      topics: [topic],
      dataSource: ds,
      logger,
      deadLetterProducer: producer,
      handlers: {
        'gov.approval.case.decided': async (e, m) => {
          await m.query('INSERT INTO effects (event_id) VALUES ($1)', [e.id]);
        },
      },
    }));
    // when
    await consumer.start();
    // then both valid events are applied
    await eventually('both valid events applied', async () => {
      const rows = await sql<{ n: number }>(TEST_DB, 'SELECT count(*)::int AS n FROM effects WHERE event_id = ANY($1)', [[before.id, after.id]]);
      return rows[0].n === 2;
    });
    // and the malformed one is in the dead-letter topic with its reason and origin
    const dead = await dlq.until('the dead letter', (c) => c.messages.find((m) => m.key === poisonKey));
    expect(dead.headers['x-original-topic']).toBe(topic);
    expect(dead.headers['x-dlq-reason']).toBe('not JSON');
    expect(await sql(TEST_DB, 'SELECT reason FROM dead_letters WHERE topic = $1', [topic])).toEqual([{ reason: 'not JSON' }]);
  });
});
