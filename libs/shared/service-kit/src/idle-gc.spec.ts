import pino from 'pino';
import { startIdleGc } from './idle-gc';

const logger = pino({ level: 'silent' });

describe('startIdleGc', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('collects once when the process has been idle for idleMs after the heap grew', () => {
    // given
    const gc = jest.fn();
    const idle = startIdleGc(logger, { gc, idleMs: 10_000, minGrowthBytes: Number.NEGATIVE_INFINITY });
    idle?.touch();
    // when
    jest.advanceTimersByTime(9_000);
    const whileBusy = gc.mock.calls.length;
    jest.advanceTimersByTime(6_000);
    // then
    expect(whileBusy).toBe(0);
    expect(gc.mock.calls.length).toBeGreaterThanOrEqual(1);
    idle?.stop();
  });

  it('does not collect while requests keep coming', () => {
    // given
    const gc = jest.fn();
    const idle = startIdleGc(logger, { gc, idleMs: 10_000, minGrowthBytes: Number.NEGATIVE_INFINITY });
    // when: a request every 4 s for a minute
    for (let t = 0; t < 60_000; t += 4_000) {
      idle?.touch();
      jest.advanceTimersByTime(4_000);
    }
    // then
    expect(gc).not.toHaveBeenCalled();
    idle?.stop();
  });

  it('collects once after start-up and once after each burst, leaving an idle heap that did not grow by minGrowthBytes to V8', () => {
    // given
    const gc = jest.fn();
    const idle = startIdleGc(logger, { gc, idleMs: 1_000, minGrowthBytes: 1024 * 1024 * 1024 });
    // when
    jest.advanceTimersByTime(60_000);
    const afterStart = gc.mock.calls.length;
    idle?.touch();
    jest.advanceTimersByTime(60_000);
    // then
    expect(afterStart).toBe(1);
    expect(gc).toHaveBeenCalledTimes(2);
    idle?.stop();
  });

  it('does nothing without a collector (node started without --expose-gc)', () => {
    // given: no gc option and no globalThis.gc in the test runner
    const had = (globalThis as { gc?: unknown }).gc;
    delete (globalThis as { gc?: unknown }).gc;
    // when
    const idle = startIdleGc(logger);
    // then
    expect(idle).toBeUndefined();
    if (had) (globalThis as { gc?: unknown }).gc = had;
  });
});
