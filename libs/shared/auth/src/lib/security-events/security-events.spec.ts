import { ForbiddenException } from '@nestjs/common';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { SecurityEventData } from '@gov/contracts';
import { AppError, RequestContext } from '@gov/service-kit';
import { lastValueFrom, throwError } from 'rxjs';
import { BatchWriter } from './batch-writer';
import { AuditsOwnRefusals, RefusalAuditInterceptor } from './refusal-audit.interceptor';
import { SecurityEvents, type SecurityEventSink } from './security-events';

class MemorySink implements SecurityEventSink {
  readonly events: SecurityEventData[] = [];
  record(e: SecurityEventData): void {
    this.events.push(e);
  }
  async flush(): Promise<void> {
    // synchronous
  }
}

const silent = { warn: () => undefined, error: () => undefined };
const req = { path: '/applications/42', method: 'POST', ip: '10.1.2.3', principal: { subject: 'u1', name: '张三', type: 'officer', roles: [], orgs: [], tokenId: 'j', expiresAt: new Date() } };

describe('SecurityEvents', () => {
  it("records a refusal with the request's trace id, code, status, method and path", () => {
    // given
    const sink = new MemorySink();
    const events = new SecurityEvents(sink, 'intake');
    // when
    RequestContext.run({ traceId: 'trace-0001' }, () => events.refusal(req as never, { status: 403, code: 'NotOwnApplication', reason: 'no' }));
    // then
    expect(sink.events).toEqual([
      expect.objectContaining({
        service: 'intake',
        category: 'authorisation-refusal',
        action: 'authz.denied',
        outcome: 'refused',
        actor: 'u1',
        target: '/applications/42',
        ip: '10.1.2.3',
        details: { traceId: 'trace-0001', code: 'NotOwnApplication', status: 403, method: 'POST', reason: 'no' },
      }),
    ]);
  });

  it('calls a 401 an authentication failure', () => {
    const sink = new MemorySink();
    new SecurityEvents(sink, 'approval').refusal({ ...req, principal: undefined } as never, { status: 401, code: 'MissingToken', reason: 'x' });
    expect(sink.events[0]).toMatchObject({ category: 'authentication-failure', actor: null });
  });

  it('stores lone surrogates and NUL as their escapes and cuts over-long fields, so the event is always storable', () => {
    const sink = new MemorySink();
    new SecurityEvents(sink, 'approval').record({ category: 'authentication-failure', action: 'a', outcome: 'refused', actor: 'ab\ud800cd', target: 'x'.repeat(900), details: { username: 'x\u0000y' } });
    expect(sink.events[0]).toMatchObject({ actor: 'ab\\ud800cd', details: { username: 'x\\u0000y' } });
    expect(sink.events[0].target).toHaveLength(500);
  });

  it('never throws when the sink does', () => {
    const events = new SecurityEvents({ record: () => { throw new Error('down'); }, flush: async () => undefined }, 'approval');
    expect(() => events.refusal(req as never, { status: 403, code: 'X', reason: 'y' })).not.toThrow();
  });
});

// Not a controller (never served): only the handler metadata the interceptor reads.
class Handlers {
  plain(): void {
    // test target
  }
  @AuditsOwnRefusals()
  own(): void {
    // test target
  }
}

describe('RefusalAuditInterceptor', () => {
  function run(handler: 'plain' | 'own', error: unknown): { sink: MemorySink; result: Promise<unknown> } {
    const sink = new MemorySink();
    const interceptor = new RefusalAuditInterceptor(new SecurityEvents(sink, 'approval'), new Reflector());
    const context = { getType: () => 'http', getHandler: () => Handlers.prototype[handler], getClass: () => Handlers, switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
    const next: CallHandler = { handle: () => throwError(() => error) };
    return { sink, result: lastValueFrom(interceptor.intercept(context, next)) };
  }

  it('records 401s and 403s thrown inside handlers and rethrows them', async () => {
    const forbidden = run('plain', AppError.forbidden('OutsideOrganisation', 'no'));
    await expect(forbidden.result).rejects.toThrow('no');
    expect(forbidden.sink.events[0]).toMatchObject({ details: { code: 'OutsideOrganisation', status: 403 } });
    const nest = run('plain', new ForbiddenException());
    await expect(nest.result).rejects.toBeInstanceOf(ForbiddenException);
    expect(nest.sink.events).toHaveLength(1);
  });

  it('ignores other errors and handlers that record their own refusals', async () => {
    const notFound = run('plain', AppError.notFound('Nope', 'x'));
    await expect(notFound.result).rejects.toThrow();
    expect(notFound.sink.events).toHaveLength(0);
    const own = run('own', AppError.unauthorized('InvalidCredentials', 'x'));
    await expect(own.result).rejects.toThrow();
    expect(own.sink.events).toHaveLength(0);
  });
});

describe('BatchWriter', () => {
  it('writes everything pushed, in order, in batches', async () => {
    // given
    const batches: number[][] = [];
    const writer = new BatchWriter<number>({ logger: silent, batchSize: 100, write: async (b) => void batches.push(b) });
    // when 1000 items arrive at once
    for (let i = 0; i < 1000; i++) writer.push(i);
    await writer.flush();
    // then none is lost or doubled, and they went in 10 writes
    expect(batches.flat()).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(batches).toHaveLength(10);
  });

  it('keeps items while the store is down and writes them when it is back', async () => {
    let down = 3;
    const written: number[] = [];
    const writer = new BatchWriter<number>({ logger: silent, retryDelayMs: 1, write: async (b) => {
      if (down-- > 0) throw new Error('connection refused');
      written.push(...b);
    } });
    for (let i = 0; i < 10; i++) writer.push(i);
    await writer.flush();
    expect(written).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('writes the others when one item is refused for its content, and gives up on that one only', async () => {
    const written: number[] = [];
    const logged: object[] = [];
    const dataError = Object.assign(new Error('invalid input syntax'), { code: '22P02' });
    const writer = new BatchWriter<number>({ logger: { warn: () => undefined, error: (o) => void logged.push(o) }, retryDelayMs: 1, maxAttempts: 2, write: async (b) => {
      if (b.includes(3)) throw dataError;
      written.push(...b);
    } });
    for (let i = 0; i < 6; i++) writer.push(i);
    await writer.flush();
    expect(written).toEqual([0, 1, 2, 4, 5]);
    expect(logged).toEqual([expect.objectContaining({ item: 3 })]);
  });
});
