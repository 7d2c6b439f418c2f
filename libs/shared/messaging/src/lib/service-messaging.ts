import type { HealthRegistry, Metrics } from '@gov/service-kit';
import type { PoolConfig } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { BusAdmin, BusProducer, MessageBus } from './bus';
import { type EventHandler, InboxConsumer } from './consumer';
import { KafkaJsBus } from './kafkajs.adapter';
import { OutboxRelay } from './relay';
import type { EventType } from '@gov/contracts';

export interface ServiceMessagingOptions {
  service: string;
  brokers: string[];
  logger: Logger;
  metrics: Metrics;
  health: HealthRegistry;
  /** The service's own database (TypeORM): its inbox and outbox, and its readiness check. */
  dataSource: DataSource;
  /** See `KafkaJsBusOptions.topicPrefix` (the kit's KAFKA_TOPIC_PREFIX; empty in deployments). */
  topicPrefix?: string;
  bus?: MessageBus;
}

/**
 * Everything a service needs to take part in the event flow: one producer shared by its relays and the
 * dead-letter path, its outbox relay, its inbox consumers, readiness checks and metrics, and an orderly stop
 * (consumers first, so no new effects start; then relays drain; then the producer disconnects).
 */
export class ServiceMessaging {
  readonly bus: MessageBus;
  readonly producer: BusProducer;
  private readonly admin: BusAdmin;
  private readonly relays: OutboxRelay[] = [];
  private readonly relaysByName = new Map<string, OutboxRelay>();
  private readonly consumers: InboxConsumer[] = [];

  constructor(private readonly options: ServiceMessagingOptions) {
    this.bus = options.bus ?? new KafkaJsBus({ clientId: options.service, brokers: options.brokers, logger: options.logger, topicPrefix: options.topicPrefix });
    this.producer = this.bus.producer();
    this.admin = this.bus.admin();
    options.health.register('kafka', () => this.admin.ping());
    options.health.register('database', async () => {
      await options.dataSource.query('SELECT 1');
    });
  }

  /** The relay of the service's own outbox connects like the service's DataSource. */
  private ownDatabase(): PoolConfig {
    const o = this.options.dataSource.options as PostgresConnectionOptions;
    return { host: o.host, port: o.port, user: o.username, password: typeof o.password === 'string' ? o.password : undefined, database: o.database };
  }

  /** Adds a relay for an outbox table in some database (the service's own by default). */
  addRelay(name: string, connection: PoolConfig = this.ownDatabase()): OutboxRelay {
    const published = this.options.metrics.counter('outbox_published_total', 'Outbox rows published to Kafka', ['relay']);
    const lag = this.options.metrics.histogram('outbox_publish_lag_seconds', 'Age of the oldest row in a published batch', ['relay'], [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10]);
    const relay = new OutboxRelay({
      connection,
      producer: this.producer,
      logger: this.options.logger.child({ relay: name }),
      onPublished: (count, ageMs) => {
        published.inc({ relay: name }, count);
        lag.observe({ relay: name }, ageMs / 1000);
      },
    });
    this.relays.push(relay);
    this.relaysByName.set(name, relay);
    return relay;
  }

  /** The relay added under `name` (to tap it), if any. */
  relay(name: string): OutboxRelay | undefined {
    return this.relaysByName.get(name);
  }

  /** Adds an inbox consumer that `start()` starts and `stop()` stops (before the relays). */
  addConsumer(group: string, topics: string[], handlers: Partial<Record<EventType, EventHandler>>): InboxConsumer {
    const consumer = this.createConsumer(group, topics, handlers);
    this.consumers.push(consumer);
    return consumer;
  }

  /**
   * An inbox consumer on this service's bus, database, dead-letter producer and metrics, started and stopped by the
   * caller (the Nest transport, `InboxTransport`, starts its consumers when the app's microservices start and stops
   * them when the app closes, before `stop()` drains the relays).
   */
  createConsumer(group: string, topics: string[], handlers: Partial<Record<EventType, EventHandler>>, options: { fromBeginning?: boolean } = {}): InboxConsumer {
    const processed = this.options.metrics.counter('events_consumed_total', 'Events consumed', ['group', 'type', 'outcome']);
    return new InboxConsumer({
      bus: this.bus,
      group,
      topics,
      dataSource: this.options.dataSource,
      handlers,
      logger: this.options.logger.child({ consumer: group }),
      deadLetterProducer: this.producer,
      onProcessed: (type, outcome) => processed.inc({ group, type, outcome }),
      fromBeginning: options.fromBeginning,
    });
  }

  async start(): Promise<void> {
    await this.admin.connect();
    await this.producer.connect();
    for (const relay of this.relays) await relay.start();
    for (const consumer of this.consumers) await consumer.start();
  }

  async stop(): Promise<void> {
    for (const consumer of this.consumers) await consumer.stop().catch((e: unknown) => this.options.logger.warn({ err: e }, 'consumer stop failed'));
    for (const relay of this.relays) await relay.stop().catch((e: unknown) => this.options.logger.warn({ err: e }, 'relay stop failed'));
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }
}
