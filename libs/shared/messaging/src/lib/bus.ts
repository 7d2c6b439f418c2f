import type { TopicSpec } from '@gov/contracts';

/**
 * The only Kafka surface the services see. kafkajs sits behind it today (kafkajs.adapter.ts); moving to another
 * client means writing one more adapter, nothing else.
 */
export interface OutgoingMessage {
  key: string;
  value: Buffer | string;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface BusProducer {
  connect(): Promise<void>;
  /** Resolves once every message is acknowledged by all in-sync replicas (acks=all); retries transient errors. */
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface HandlerContext {
  /** Keeps the consumer's group membership alive while a handler waits out a long outage. */
  heartbeat(): Promise<void>;
}

export interface BusConsumer {
  connect(): Promise<void>;
  subscribe(topics: string[], opts?: { fromBeginning?: boolean }): Promise<void>;
  /**
   * Calls `handler` for each message, one at a time per partition. A message's offset becomes committable only after
   * its handler resolved. A handler must not throw: it is the caller's job to dead-letter what it cannot process.
   */
  run(handler: (message: IncomingMessage, ctx: HandlerContext) => Promise<void>): Promise<void>;
  /** Stops fetching, waits for the in-flight handler, commits resolved offsets. */
  stop(): Promise<void>;
  disconnect(): Promise<void>;
}

export interface BusAdmin {
  connect(): Promise<void>;
  /** Creates missing topics with their partitions and retention; existing topics are left as they are. */
  ensureTopics(specs: TopicSpec[]): Promise<string[]>;
  ping(): Promise<void>;
  disconnect(): Promise<void>;
}

export interface MessageBus {
  producer(): BusProducer;
  consumer(groupId: string): BusConsumer;
  admin(): BusAdmin;
}
