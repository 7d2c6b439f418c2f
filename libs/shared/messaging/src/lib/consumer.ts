import { type CloudEvent, type EventType, TOPICS, decodeEvent } from '@gov/contracts';
import { RequestContext, newTraceId } from '@gov/service-kit';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { BusConsumer, BusProducer, HandlerContext, IncomingMessage, MessageBus } from './bus';
import { isTransient } from './transient';

/**
 * Work a handler hands back to run once its transaction has committed: the network calls (the engine, another
 * service) that must never run inside it. A failure is logged and left to the handler's own reconciler, because the
 * effect is committed and the event will not be delivered again.
 */
export type AfterCommit = () => Promise<void>;

export type EventHandler = (event: CloudEvent & { type: EventType }, manager: EntityManager, afterCommit: (work: AfterCommit) => void) => Promise<void>;

export interface InboxConsumerOptions {
  bus: MessageBus;
  /** Consumer group id; also the inbox's consumer name. */
  group: string;
  topics: string[];
  dataSource: DataSource;
  /** Per event type; types without a handler are recorded in the inbox and skipped. */
  handlers: Partial<Record<EventType, EventHandler>>;
  logger: Logger;
  /**
   * Attempts for a handler that fails on the message itself before it is dead-lettered. Transient failures (a
   * dependency down: connection refused, timeouts, engine 5xx, PostgreSQL restarts) are retried until they pass or
   * the consumer stops, and never dead-letter an event.
   */
  maxAttempts?: number;
  /** Producer for the dead-letter topic (shared with the service's relay is fine). */
  deadLetterProducer: BusProducer;
  onProcessed?: (type: string, outcome: 'applied' | 'duplicate' | 'ignored' | 'dead-lettered') => void;
  /**
   * Where a consumer group with no committed offsets starts: the beginning of the topics (default, so a new service
   * misses nothing) or only what is published from now on (in-process test services that must not replay the stack's
   * history).
   */
  fromBeginning?: boolean;
  /** Fault injection for tests only: runs after the effect committed, before the offset can be committed. */
  afterEffect?: (event: CloudEvent) => void;
}

/**
 * Consumes events with an inbox: the event id is inserted in the same transaction as the handler's effect, so a
 * redelivery (after a crash before the offset commit, or a duplicate publish) is recognised and skipped.
 * A message that cannot be decoded, or whose handler keeps failing, goes to the dead-letter topic with its reason,
 * and the partition moves on.
 */
export class InboxConsumer {
  private consumer?: BusConsumer;
  private stopping = false;

  constructor(private readonly options: InboxConsumerOptions) {}

  /** The consumer group (with its prefix), e.g. for tests that pick one consumer of a service. */
  get group(): string {
    return this.options.group;
  }

  async start(): Promise<void> {
    this.consumer = this.options.bus.consumer(this.options.group);
    await this.consumer.connect();
    await this.consumer.subscribe(this.options.topics, { fromBeginning: this.options.fromBeginning ?? true });
    this.stopping = false;
    await this.consumer.run((m, ctx) => this.handle(m, ctx));
  }

  async stop(): Promise<void> {
    if (!this.consumer) return;
    this.stopping = true;
    await this.consumer.stop();
    await this.consumer.disconnect();
    this.consumer = undefined;
  }

  /** Processes one message. Public for tests. Throws only when stopping during an outage (the message is redelivered). */
  async handle(message: IncomingMessage, ctx: HandlerContext = { heartbeat: async () => undefined }): Promise<void> {
    const { maxAttempts = 5 } = this.options;
    const decoded = decodeEvent(message.value);
    if (!decoded.ok) {
      if (decoded.reason.startsWith('unknown event type')) {
        // A newer producer added a type to the topic: not poison, just not ours to handle (forward compatibility).
        this.options.logger.info({ topic: message.topic, offset: message.offset, reason: decoded.reason }, 'skipping an event type this consumer does not know');
        this.options.onProcessed?.('unknown', 'ignored');
        return;
      }
      await this.deadLetter(message, decoded.reason, decoded.id);
      return;
    }
    const event = decoded.event;
    // Everything the handler logs carries the event's trace and case ids.
    await RequestContext.run({ traceId: event.traceid ?? newTraceId(), caseId: event.subject, correlationId: event.id }, () => this.process(message, event, maxAttempts, ctx));
  }

  private async process(message: IncomingMessage, event: CloudEvent & { type: EventType }, maxAttempts: number, ctx: HandlerContext): Promise<void> {
    const { logger } = this.options;
    const log = logger.child({ eventId: event.id, eventType: event.type });
    let transientWaits = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        const after: AfterCommit[] = [];
        const outcome = await this.applyOnce(event, after);
        this.options.onProcessed?.(event.type, outcome);
        if (outcome === 'applied') {
          this.options.afterEffect?.(event);
          // Awaited, so events of one key still take effect in order (the next one sees what this one started).
          for (const work of after) await work().catch((e: unknown) => log.warn({ err: e }, 'after-commit work failed; left to the reconciler'));
        }
        return;
      } catch (e) {
        if (isTransient(e)) {
          // A dependency is down: wait it out with the offset uncommitted; on stop, the message is redelivered.
          if (this.stopping) throw e;
          attempt--;
          transientWaits++;
          log.warn({ err: e, transientWaits }, 'dependency unavailable; retrying the event');
          await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** Math.min(transientWaits, 5), 5000)));
          await ctx.heartbeat().catch(() => undefined);
          continue;
        }
        if (attempt >= maxAttempts) {
          log.error({ err: e, attempt }, 'handler kept failing; dead-lettering');
          await this.deadLetter(message, `handler failed ${attempt} times: ${e instanceof Error ? e.message : String(e)}`, event.id);
          return;
        }
        log.warn({ err: e, attempt }, 'handler failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 5000)));
      }
    }
  }

  private async applyOnce(event: CloudEvent & { type: EventType }, after: AfterCommit[]): Promise<'applied' | 'duplicate' | 'ignored'> {
    const handler = this.options.handlers[event.type];
    // A type this group does not handle has no effect to deduplicate: no transaction and no inbox row (a group on a
    // busy topic such as approval.step.v1 wrote one row per step event it then ignored).
    if (!handler) return 'ignored';
    return this.options.dataSource.transaction(async (manager) => {
      const inserted = await manager.query<unknown[]>(
        `INSERT INTO inbox (consumer, event_id, event_type, subject) VALUES ($1, $2, $3, $4)
         ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id`,
        [this.options.group, event.id, event.type, event.subject],
      );
      if (inserted.length === 0) return 'duplicate';
      // A retried attempt starts with no after-commit work of the attempt that rolled back.
      after.length = 0;
      await handler(event, manager, (work) => after.push(work));
      return 'applied';
    });
  }

  private async deadLetter(message: IncomingMessage, reason: string, eventId?: string): Promise<void> {
    const { logger, group } = this.options;
    logger.warn({ topic: message.topic, partition: message.partition, offset: message.offset, eventId, reason }, 'dead-lettering message');
    // Retries until Kafka takes it: losing a poison message silently would hide it from the supervision office.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.deadLetterProducer.send(TOPICS.deadLetter.name, [
          {
            key: message.key ?? `${message.topic}:${message.partition}`,
            value: message.value ?? Buffer.alloc(0),
            headers: {
              'x-dlq-reason': reason.slice(0, 2000),
              'x-dlq-consumer': group,
              'x-original-topic': message.topic,
              'x-original-partition': String(message.partition),
              'x-original-offset': message.offset,
              'x-dlq-time': new Date().toISOString(),
              ...(eventId ? { 'ce-id': eventId } : {}),
            },
          },
        ]);
        await this.options.dataSource
          .query(
            `INSERT INTO dead_letters (consumer, topic, partition, kafka_offset, event_id, reason) VALUES ($1,$2,$3,$4,$5,$6)
             ON CONFLICT DO NOTHING`,
            [group, message.topic, message.partition, message.offset, eventId ?? null, reason.slice(0, 2000)],
          )
          .catch((e: unknown) => logger.warn({ err: e }, 'could not record dead letter locally'));
        this.options.onProcessed?.('unknown', 'dead-lettered');
        return;
      } catch (e) {
        if (this.stopping) throw e;
        logger.error({ err: e, attempt }, 'dead-letter publish failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** attempt, 10_000)));
      }
    }
  }
}
