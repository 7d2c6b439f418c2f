import { Periodic } from './periodic';

describe('Periodic', () => {
  it('runs one round at a time, goes on after a failed round, and stops waiting for the round in progress', async () => {
    // given rounds that take 30 ms, the second of which fails
    let rounds = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const errors: unknown[] = [];
    const periodic = new Periodic(
      5,
      async () => {
        rounds++;
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await new Promise((r) => setTimeout(r, 30));
        concurrent--;
        if (rounds === 2) throw new Error('boom');
      },
      (e) => errors.push(e),
    );
    // when it runs for a while and is stopped
    periodic.start();
    await new Promise((r) => setTimeout(r, 200));
    await periodic.stop();
    const after = rounds;
    await new Promise((r) => setTimeout(r, 50));
    // then
    expect(rounds).toBeGreaterThanOrEqual(3);
    expect(maxConcurrent).toBe(1);
    expect(errors).toHaveLength(1);
    expect(concurrent).toBe(0);
    expect(rounds).toBe(after);
  });

  it('never runs with an interval of 0', async () => {
    let rounds = 0;
    const periodic = new Periodic(0, async () => void rounds++, () => undefined);
    periodic.start();
    await new Promise((r) => setTimeout(r, 30));
    await periodic.stop();
    expect(rounds).toBe(0);
  });
});
