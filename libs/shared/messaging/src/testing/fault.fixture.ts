// A child process for the messaging fault tests: runs a relay or an inbox consumer against the test database and
// Kafka, and kills itself with SIGKILL at the injected point when FAULT is set. Run with node -r @swc-node/register.
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { KafkaJsBus } from '../lib/kafkajs.adapter';
import { InboxConsumer } from '../lib/consumer';
import { OutboxRelay } from '../lib/relay';
import { InboxTransport } from '../lib/nest/inbox.transport';
import { type EventOf, type InboxContext, OnEvent } from '../lib/nest/on-event';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};
const logger = pino({ level: 'warn' });
const connection = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: 'postgres', database: env('TEST_DB') };
const bus = new KafkaJsBus({ clientId: 'fault-fixture', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logger });
const die = () => process.kill(process.pid, 'SIGKILL');

async function relay(): Promise<void> {
  const producer = bus.producer();
  await producer.connect();
  const r = new OutboxRelay({ connection, producer, logger, leaseMs: Number(process.env.LEASE_MS ?? 30_000), afterPublishBeforeMark: process.env.FAULT === 'after-publish' ? die : undefined });
  const n = await r.drainOnce();
  process.stdout.write(`published ${n}\n`);
  await r.stop();
  await producer.disconnect();
}

async function consume(): Promise<void> {
  const ds = new DataSource({ type: 'postgres', ...connection, username: 'postgres' });
  await ds.initialize();
  const producer = bus.producer();
  await producer.connect();
  const consumer = new InboxConsumer({
    bus,
    group: env('GROUP'),
    topics: [env('TOPIC')],
    dataSource: ds,
    logger,
    deadLetterProducer: producer,
    handlers: {
      'gov.approval.case.decided': async (event, manager) => {
        await manager.query('INSERT INTO effects (event_id) VALUES ($1)', [event.id]);
      },
    },
    onProcessed: (type, outcome) => process.stdout.write(`outcome ${outcome}\n`),
    afterEffect: process.env.FAULT === 'after-effect' ? die : undefined,
  });
  await consumer.start();
  process.on('SIGTERM', () => {
    void consumer.stop().then(async () => {
      await producer.disconnect();
      await ds.destroy();
      process.exit(0);
    });
  });
}

@Controller()
class DecidedController {
  @OnEvent('gov.approval.case.decided', { group: 'fault' })
  async decided(event: EventOf<'gov.approval.case.decided'>, ctx: InboxContext): Promise<void> {
    await ctx.manager.query('INSERT INTO effects (event_id) VALUES ($1)', [event.id]);
  }
}

@Module({ controllers: [DecidedController] })
class FixtureModule {}

/** The same consumer served as a Nest microservice through InboxTransport and an @OnEvent handler. */
async function consumeWithNest(): Promise<void> {
  const ds = new DataSource({ type: 'postgres', ...connection, username: 'postgres' });
  await ds.initialize();
  const producer = bus.producer();
  await producer.connect();
  const group = env('GROUP');
  const transport = new InboxTransport({
    // the handler names group 'fault'; the prefix turns it into this run's group
    groupPrefix: group.slice(0, -'fault'.length),
    topicOf: () => env('TOPIC'),
    messaging: {
      createConsumer: (g, topics, handlers) =>
        new InboxConsumer({
          bus,
          group: g,
          topics,
          dataSource: ds,
          logger,
          deadLetterProducer: producer,
          handlers,
          onProcessed: (type, outcome) => process.stdout.write(`outcome ${outcome}\n`),
          afterEffect: process.env.FAULT === 'after-effect' ? die : undefined,
        }),
    },
  });
  const app = await NestFactory.createMicroservice(FixtureModule, { strategy: transport, logger: false });
  await app.listen();
  process.on('SIGTERM', () => {
    void app.close().then(async () => {
      await producer.disconnect();
      await ds.destroy();
      process.exit(0);
    });
  });
}

const roles: Record<string, () => Promise<void>> = { relay, consumer: consume, 'nest-consumer': consumeWithNest };
(roles[process.env.ROLE ?? 'consumer'] ?? consume)().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
