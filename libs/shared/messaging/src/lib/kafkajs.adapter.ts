import type { TopicSpec } from '@gov/contracts';
import { type Consumer, Kafka, Partitioners, logLevel, type Admin, type Producer, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';
import type { BusAdmin, BusConsumer, BusProducer, HandlerContext, IncomingMessage, MessageBus, OutgoingMessage } from './bus';

export interface KafkaJsBusOptions {
  clientId: string;
  brokers: string[];
  logger: Logger;
  /**
   * Prepended to every topic name on the wire (produce, subscribe, create) and taken off incoming messages, so the
   * code above the bus sees the contract's names. Empty in deployments; a second copy of the platform on a shared
   * broker (a benchmark of a branch) uses one so neither copy sees the other's events.
   */
  topicPrefix?: string;
}

/** MessageBus over kafkajs 2.2.4. Producers do not use kafkajs' experimental idempotent mode (kafkajs #598): consumers dedupe by event id. */
export class KafkaJsBus implements MessageBus {
  private readonly kafka: Kafka;

  constructor(private readonly options: KafkaJsBusOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: pinoLogCreator(options.logger),
      retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 5000 },
      connectionTimeout: 3000,
    });
  }

  producer(): BusProducer {
    return new KafkaJsProducer(
      this.kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner }),
      this.options.topicPrefix ?? '',
    );
  }

  consumer(groupId: string): BusConsumer {
    return new KafkaJsConsumer(
      this.kafka.consumer({ groupId, allowAutoTopicCreation: false, sessionTimeout: 10_000, heartbeatInterval: 2_000, rebalanceTimeout: 20_000, retry: { retries: 10 } }),
      this.options.topicPrefix ?? '',
    );
  }

  admin(): BusAdmin {
    return new KafkaJsAdmin(this.kafka.admin(), this.options.topicPrefix ?? '');
  }
}

class KafkaJsProducer implements BusProducer {
  constructor(
    private readonly producer: Producer,
    private readonly prefix: string,
  ) {}
  async connect(): Promise<void> {
    await this.producer.connect();
  }
  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.producer.send({
      topic: this.prefix + topic,
      acks: -1,
      timeout: 10_000,
      messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
    });
  }
  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}

class KafkaJsConsumer implements BusConsumer {
  constructor(
    private readonly consumer: Consumer,
    private readonly prefix: string,
  ) {}
  async connect(): Promise<void> {
    await this.consumer.connect();
  }
  async subscribe(topics: string[], opts?: { fromBeginning?: boolean }): Promise<void> {
    await this.consumer.subscribe({ topics: topics.map((t) => this.prefix + t), fromBeginning: opts?.fromBeginning ?? true });
  }
  async run(handler: (message: IncomingMessage, ctx: HandlerContext) => Promise<void>): Promise<void> {
    await this.consumer.run({
      autoCommit: true,
      autoCommitInterval: 1000,
      partitionsConsumedConcurrently: 3,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) {
          if (v !== undefined) headers[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
        }
        await handler({ topic: topic.startsWith(this.prefix) ? topic.slice(this.prefix.length) : topic, partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value, headers }, { heartbeat });
      },
    });
  }
  async stop(): Promise<void> {
    await this.consumer.stop();
  }
  async disconnect(): Promise<void> {
    await this.consumer.disconnect();
  }
}

class KafkaJsAdmin implements BusAdmin {
  constructor(
    private readonly admin: Admin,
    private readonly prefix: string,
  ) {}
  async connect(): Promise<void> {
    await this.admin.connect();
  }
  async ensureTopics(specs: TopicSpec[]): Promise<string[]> {
    const existing = new Set(await this.admin.listTopics());
    const missing = specs.map((s) => ({ ...s, name: this.prefix + s.name })).filter((s) => !existing.has(s.name));
    if (missing.length === 0) return [];
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.name,
        numPartitions: s.partitions,
        replicationFactor: -1,
        configEntries: [
          { name: 'retention.ms', value: String(s.retentionMs) },
          { name: 'cleanup.policy', value: 'delete' },
        ],
      })),
    });
    return missing.map((s) => s.name);
  }
  async ping(): Promise<void> {
    await this.admin.describeCluster();
  }
  async disconnect(): Promise<void> {
    await this.admin.disconnect();
  }
}

function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      const child = { component: 'kafkajs', ...extra };
      if (level === logLevel.ERROR) logger.error(child, message);
      else if (level === logLevel.WARN) logger.warn(child, message);
      else if (level === logLevel.INFO) logger.info(child, message);
      else logger.debug(child, message);
    };
}
