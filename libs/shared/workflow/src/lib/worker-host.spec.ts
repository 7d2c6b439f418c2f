import pino from 'pino';
import type { RawExternalTask } from './camunda.client';
import { PollLoop } from './poll-loop';
import { WorkerHost } from './worker-host';

// Timers are faked (setImmediate is not, to let promise chains run): a test sees every sleep the loop schedules as
// a pending timer, so "fetches again without sleeping" is checked by counting timers, not by measuring time.
beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
afterEach(() => jest.useRealTimers());

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A fetch that answers with the queued batches, then waits like a long poll until aborted. */
function fakeFetch(batches: number[][]) {
  const calls: { max: number }[] = [];
  const fetch = jest.fn((max: number, signal: AbortSignal) => {
    calls.push({ max });
    const next = batches.shift();
    if (next) return Promise.resolve(next);
    return new Promise<number[]>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
  });
  return { fetch, calls };
}

describe('PollLoop', () => {
  it('fetches again at once after a fetch that returned work, with no sleep in between', async () => {
    // given
    const { fetch } = fakeFetch([[1, 2]]);
    const loop = new PollLoop<number>({ fetch, dispatch: () => Promise.resolve(), maxParallel: 10, idleMs: 0, onError: () => undefined });
    // when
    loop.start();
    await settle();
    // then
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(jest.getTimerCount()).toBe(0);
    await loop.stop();
  });

  it('asks only for free slots and waits for a slot (not a timer) when all are busy', async () => {
    // given
    const finish: Array<() => void> = [];
    const { fetch, calls } = fakeFetch([[1, 2]]);
    const loop = new PollLoop<number>({ fetch, dispatch: () => new Promise<void>((r) => finish.push(r)), maxParallel: 2, idleMs: 0, onError: () => undefined });
    // when
    loop.start();
    await settle();
    // then
    expect(calls).toEqual([{ max: 2 }]);
    expect(jest.getTimerCount()).toBe(0);
    // when one handler finishes
    finish[0]?.();
    await settle();
    // then the next fetch asks for the one free slot
    expect(calls).toEqual([{ max: 2 }, { max: 1 }]);
    finish[1]?.();
    await loop.stop();
  });

  it('backs off after a failed fetch and tries again', async () => {
    // given
    const errors: unknown[] = [];
    const fetch = jest.fn<Promise<number[]>, [number, AbortSignal]>().mockRejectedValueOnce(new Error('engine down')).mockImplementation(
      (_max, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    );
    const loop = new PollLoop<number>({ fetch, dispatch: () => Promise.resolve(), maxParallel: 1, idleMs: 0, backoffMs: 500, onError: (e) => errors.push(e) });
    // when
    loop.start();
    await settle();
    // then
    expect(errors).toHaveLength(1);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(1);
    // when the backoff passes
    jest.advanceTimersByTime(500);
    await settle();
    // then
    expect(fetch).toHaveBeenCalledTimes(2);
    await loop.stop();
  });

  it('stop() aborts a long poll in flight', async () => {
    // given
    const { fetch } = fakeFetch([]);
    const loop = new PollLoop<number>({ fetch, dispatch: () => Promise.resolve(), maxParallel: 1, idleMs: 0, onError: () => undefined });
    loop.start();
    await settle();
    // when / then
    await expect(loop.stop()).resolves.toBeUndefined();
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe('WorkerHost', () => {
  it('long-polls fetchAndLock for its topics with no fixed interval', async () => {
    // given
    const bodies: unknown[] = [];
    const host = new WorkerHost({
      baseUrl: 'http://engine.invalid/engine-rest',
      workerId: 'w1',
      logger: pino({ level: 'silent' }),
      maxTasks: 4,
      asyncResponseTimeoutMs: 20_000,
      fetchAndLock: (body, signal) => {
        bodies.push(body);
        return new Promise<RawExternalTask[]>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      },
    });
    host.register({ topic: 'issue-decision', handler: () => Promise.resolve() });
    // when
    host.start();
    await settle();
    // then
    expect(bodies).toEqual([
      { workerId: 'w1', maxTasks: 4, usePriority: true, asyncResponseTimeout: 20_000, topics: [{ topicName: 'issue-decision', lockDuration: 30_000 }] },
    ]);
    expect(jest.getTimerCount()).toBe(0);
    await host.stop();
  });
});
