import { type EventType, isEventType, topicOf } from '@gov/contracts';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { EventHandler, InboxConsumer } from '../consumer';
import type { ServiceMessaging } from '../service-messaging';
import { INBOX_TRANSPORT, InboxContext, type InboxPatternExtras } from './on-event';

export interface InboxTransportOptions {
  /** Builds the consumers on the service's bus, database, dead-letter producer and metrics. */
  messaging: Pick<ServiceMessaging, 'createConsumer'>;
  /**
   * Prepended to every consumer group (and so to the inbox's consumer name), e.g. `test-3f2a.` for a service built
   * in-process by a test, so that it never takes the running stack's partitions. Empty in deployments.
   */
  groupPrefix?: string;
  /**
   * Which consumer groups (named as in `@OnEvent`, without the prefix) run; all by default. A service lets some
   * consumers run where others are off (approval's worklist read model in a test that takes no stack work).
   */
  consumes?: (group: string) => boolean;
  /** Where a group without committed offsets starts (default: the beginning of its topics). See `InboxConsumerOptions`. */
  fromBeginning?: boolean;
  /** The topic of an event type; the contracts' by default (tests route types to their own topics). */
  topicOf?: (type: EventType) => string;
}

/**
 * A Nest transport strategy that serves `@OnEvent` (`@EventPattern`) handlers over the messaging lib's inbox
 * consumers: one `InboxConsumer` per consumer group named by the handlers, subscribed to the topics of the event
 * types it handles. Everything the inbox consumer guarantees holds unchanged: the inbox row and the handler's effect
 * commit in one transaction (the handler writes through `ctx.manager`), undecodable or repeatedly failing events go
 * to the dead-letter topic, dependency outages are waited out instead, one partition (one case) is handled in order,
 * and `close()` (called when the Nest app closes) stops fetching and waits for the in-flight event.
 *
 * Connect it with `app.connectMicroservice({ strategy })`, or provide it under `SERVICE_TRANSPORTS` (service kit),
 * which connects and starts it for `startService` and `startTestService`.
 */
export class InboxTransport extends Server implements CustomTransportStrategy {
  override transportId = INBOX_TRANSPORT;
  private consumers: InboxConsumer[] = [];
  private routed?: Map<string, Array<{ group: string; type: EventType; handler: MessageHandler }>>;

  constructor(private readonly options: InboxTransportOptions) {
    super();
  }

  /** The consumer groups and event types this transport will consume, from the registered handlers. */
  plan(): Map<string, EventType[]> {
    const plan = new Map<string, EventType[]>();
    for (const [pattern, head] of this.messageHandlers) {
      for (const { group } of this.routes(pattern, head)) plan.set(group, [...(plan.get(group) ?? []), pattern as EventType]);
    }
    return plan;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const handlersByGroup = new Map<string, Partial<Record<EventType, EventHandler>>>();
      for (const [pattern, head] of this.messageHandlers) {
        for (const { group, type, handler } of this.routes(pattern, head)) {
          const handlers = handlersByGroup.get(group) ?? {};
          handlers[type] = (event, manager, afterCommit) => this.invoke(handler, event, new InboxContext(manager, group, afterCommit));
          handlersByGroup.set(group, handlers);
        }
      }
      for (const [group, handlers] of handlersByGroup) {
        if (this.options.consumes && !this.options.consumes(group.slice((this.options.groupPrefix ?? '').length))) continue;
        const topics = [...new Set(Object.keys(handlers).map((t) => (this.options.topicOf ?? topicOf)(t as EventType)))];
        this.consumers.push(this.options.messaging.createConsumer(group, topics, handlers, { fromBeginning: this.options.fromBeginning }));
      }
      for (const consumer of this.consumers) await consumer.start();
      callback();
    } catch (e) {
      callback(e);
    }
  }

  /** Stops every consumer: no new event is fetched, the in-flight one finishes and its offset is committed. */
  async close(): Promise<void> {
    const consumers = this.consumers;
    this.consumers = [];
    for (const consumer of consumers) await consumer.stop();
  }

  on(): void {
    // The inbox consumers report through logs and metrics; there are no transport events to listen to.
  }

  unwrap<T>(): T {
    return this.consumers as T;
  }

  /**
   * The handlers Nest chained under one event type (one per `@OnEvent`), each with its group. Different groups are
   * independent consumers of the type (e.g. a service's steps and its statistics); two handlers of one type in one
   * group are refused: one handler per type and group keeps the inbox's effect in one transaction.
   */
  private routes(pattern: string, head: MessageHandler): Array<{ group: string; type: EventType; handler: MessageHandler }> {
    this.routed ??= new Map();
    const known = this.routed.get(pattern);
    if (known) return known;
    const routes: Array<{ group: string; type: EventType; handler: MessageHandler }> = [];
    for (let handler: MessageHandler | undefined = head; handler; handler = handler.next) {
      const { group, type } = this.check(pattern, handler);
      if (routes.some((r) => r.group === group)) {
        throw new Error(`event type ${pattern} has more than one @OnEvent handler in group ${group}; one handler per type and group keeps the inbox's effect in one transaction`);
      }
      routes.push({ group, type, handler });
    }
    // Nest runs a handler's `next` with it (forkJoin); each group's consumer must run its own handler alone.
    for (const r of routes) r.handler.next = undefined;
    this.routed.set(pattern, routes);
    return routes;
  }

  private check(pattern: string, handler: MessageHandler): { group: string; type: EventType } {
    if (!handler.isEventHandler) throw new Error(`@MessagePattern('${pattern}') cannot be served from Kafka through the inbox: use @OnEvent`);
    if (!isEventType(pattern)) throw new Error(`@OnEvent('${pattern}'): no such event type in @gov/contracts EVENT_TYPES`);
    const extras = handler.extras as Partial<InboxPatternExtras> | undefined;
    if (!extras?.group) throw new Error(`@EventPattern('${pattern}') names no consumer group: use @OnEvent('${pattern}', { group })`);
    return { group: `${this.options.groupPrefix ?? ''}${extras.group}`, type: pattern };
  }

  /** Runs the Nest handler (guards, interceptors, pipes, filters) and resolves or rejects with its own outcome. */
  private async invoke(handler: MessageHandler, event: unknown, ctx: InboxContext): Promise<void> {
    const result: unknown = await handler(event, ctx);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}
