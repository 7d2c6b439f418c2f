import { randomBytes } from 'node:crypto';
import { MessagingTables1763800000000 } from '@gov/messaging';
import { RequestContext } from '@gov/service-kit';
import { STACK, sql } from '@gov/testing';
import { DataSource } from 'typeorm';
import { OutboxSecurityEventSink } from '../security-events/outbox-sink';
import { SecurityEvents } from '../security-events/security-events';
import { PgRateLimitStore, RateLimits1763800000060 } from './rate-limit.store';

const silent = { warn: () => undefined, error: () => undefined };

// The auth kit's storage against real PostgreSQL: rate-limit counters (one atomic UPSERT per hit) and the
// security-event outbox writes every service gets from AuthModule.forService.
describe('auth kit storage (real PostgreSQL)', () => {
  const database = `authkit_test_${randomBytes(4).toString('hex')}`;
  let ds: DataSource;

  beforeAll(async () => {
    await sql('postgres', `CREATE DATABASE ${database}`);
    ds = new DataSource({ type: 'postgres', host: STACK.pg.host, port: STACK.pg.port, username: process.env.PGSUPERUSER ?? 'postgres', database, migrations: [MessagingTables1763800000000, RateLimits1763800000060], poolSize: 20 });
    await ds.initialize();
    await ds.runMigrations();
  });
  afterAll(async () => {
    await ds?.destroy();
    await sql('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('counts concurrent hits exactly: every hit gets its own count', async () => {
    // given two stores (two replicas) on one database
    const one = new PgRateLimitStore(ds);
    const two = new PgRateLimitStore(ds);
    // when 100 hits race for one key
    const hits = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? one : two).hit('race:client:10.0.0.1:60', 60)));
    // then
    expect(hits.map((h) => h.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(new Set(hits.map((h) => h.resetAt.getTime())).size).toBe(1);
  });

  it('starts a new window once the old one has ended', async () => {
    await ds.query(`INSERT INTO rate_limits (key, window_start, window_seconds, hits) VALUES ('old:client:x:60', now() - interval '61 seconds', 60, 99)`);
    const hit = await new PgRateLimitStore(ds).hit('old:client:x:60', 60);
    expect(hit.hits).toBe(1);
    expect(hit.resetAt.getTime()).toBeGreaterThan(Date.now() + 50_000);
  });

  it('writes a flood of security events to the outbox in full, batched, with their trace ids', async () => {
    // given
    const sink = new OutboxSecurityEventSink(ds, silent, { batchSize: 100 });
    const events = new SecurityEvents(sink, 'approval');
    // when 1000 refusals arrive at once, one of them with a hostile actor
    RequestContext.run({ traceId: 'flood-trace-1' }, () => {
      for (let i = 0; i < 1000; i++) events.refusal({ path: `/tasks/${i}`, method: 'POST', ip: '10.0.0.9', principal: i === 7 ? { subject: 'ab\ud800cd', name: 'x' } : undefined } as never, { status: 401, code: 'InvalidToken', reason: 'r' });
    });
    await events.flush();
    // then
    const rows = await ds.query<Array<{ n: string; topics: string[]; keys: string[] }>>(`SELECT count(*) AS n, array_agg(DISTINCT topic) AS topics, array_agg(DISTINCT key) AS keys FROM outbox WHERE payload->>'traceid' = 'flood-trace-1'`);
    expect(rows[0]).toEqual({ n: '1000', topics: ['platform.audit.v1'], keys: ['approval'] });
    const hostile = await ds.query<Array<{ actor: string }>>(`SELECT payload->'data'->>'actor' AS actor FROM outbox WHERE payload->'data'->>'target' = '/tasks/7'`);
    expect(hostile[0].actor).toBe('ab\\ud800cd');
  });
});
