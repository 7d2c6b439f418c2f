import { type CloudEvent, type EventData, type EventType } from '@gov/contracts';
import { type ArgumentsHost, Catch, type RpcExceptionFilter, UseFilters, applyDecorators } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type Observable, throwError } from 'rxjs';
import type { EntityManager } from 'typeorm';
import type { AfterCommit } from '../consumer';

/** The event a handler of `T` receives: the CloudEvent envelope with `data` typed by the contracts' schema of `T`. */
export type EventOf<T extends EventType> = CloudEvent<EventData<T>> & { type: T };

/** Every event of the types in `T` (a union), e.g. `EventOf<'gov.approval.step.completed' | 'gov.approval.step.cancelled'>`. */
export type AnyEventOf<T extends EventType> = { [K in T]: EventOf<K> }[T];

/** The Nest transport id of the inbox transport: `@OnEvent` handlers are served by `InboxTransport` only. */
export const INBOX_TRANSPORT = Symbol('gov-inbox-transport');

/**
 * What a handler gets besides the event: the EntityManager of the inbox transaction (write the effect through it, so
 * the effect and the inbox row commit or roll back together), and the consumer group and delivery it came from.
 */
export class InboxContext {
  constructor(
    /** The transaction the inbox row was inserted in. Never start another transaction for the effect. */
    readonly manager: EntityManager,
    /** The consumer group (also the inbox's consumer name), with the configured prefix. */
    readonly group: string,
    private readonly registerAfterCommit: (work: AfterCommit) => void = () => {
      throw new Error('this InboxContext has no commit to wait for');
    },
  ) {}

  /**
   * Runs `work` after the inbox transaction commits (awaited before the next event of the partition): where a network
   * call belongs, never inside the transaction. Not run when the transaction rolls back or the event is a duplicate;
   * a failure is logged, so the handler's effect must record enough for a reconciler to finish the work.
   */
  afterCommit(work: AfterCommit): void {
    this.registerAfterCommit(work);
  }
}

/** The signature `@OnEvent(T)` accepts: `(event: EventOf<T>, ctx: InboxContext) => Promise<void>`. */
export type InboxHandler<T extends EventType> = (event: EventOf<T>, ctx: InboxContext) => Promise<void>;

/** What `@OnEvent` stores as the pattern's extras; `InboxTransport` groups handlers into consumers by `group`. */
export interface InboxPatternExtras {
  group: string;
}

/**
 * Nest's RPC exception layer would turn a handler's error into `{ status: 'error', message: 'Internal server error' }`,
 * losing what the inbox consumer needs to tell a dependency outage (retried until it passes) from a poison event
 * (retried, then dead-lettered). This filter hands the original error back to the transport.
 */
@Catch()
export class RethrowToInbox implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Marks a controller method as the handler of one event type, consumed by the inbox consumer `group` (its topic is
 * the type's topic in the contracts). The method must accept `EventOf<T>` (anything else fails to compile) and
 * write its effect through `ctx.manager`:
 *
 *   @OnEvent('gov.approval.step.opened', { group: 'supervision.steps' })
 *   opened(event: EventOf<'gov.approval.step.opened'>, ctx: InboxContext): Promise<void> { ... }
 *
 * It is `@EventPattern(type, INBOX_TRANSPORT, { group })`, `@Payload()` on the first parameter and `@Ctx()` on the
 * second (so the handler needs no parameter decorators), plus the filter that keeps errors intact.
 */
export function OnEvent<T extends EventType>(type: T, options: InboxPatternExtras) {
  const decorate = applyDecorators(EventPattern(type, INBOX_TRANSPORT, { group: options.group } satisfies InboxPatternExtras), UseFilters(RethrowToInbox));
  return <H extends InboxHandler<T>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>): void => {
    decorate(target, key, descriptor);
    Payload()(target, key, 0);
    Ctx()(target, key, 1);
  };
}
