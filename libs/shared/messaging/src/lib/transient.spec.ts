import { isTransient } from './transient';

describe('isTransient', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['fetch failing on a reset socket', new TypeError('fetch failed', { cause: Object.assign(new Error('socket'), { code: 'ECONNRESET' }) })],
    ['a PostgreSQL shutdown', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    ['a serialisation failure', Object.assign(new Error('could not serialize'), { code: '40001' })],
    ['an engine 503', Object.assign(new Error('engine 503'), { status: 503 })],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ])('waits out %s', (_what, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['a constraint violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['an engine 400', Object.assign(new Error('engine 400'), { status: 400 })],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a non-error', 'boom'],
  ])('treats %s as a failure of the message', (_what, error) => {
    expect(isTransient(error)).toBe(false);
  });
});
