import { type CloudEvent, type EventType, topicOf } from '@gov/contracts';
import type { EntityManager } from 'typeorm';

/**
 * Writes an event row in the caller's transaction: the event exists if and only if the state change committed.
 * `manager` must be the transactional EntityManager of the state change.
 */
export async function enqueueEvent(manager: EntityManager, event: CloudEvent & { type: EventType }, key?: string): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('enqueueEvent must run inside the transaction of the state change it announces');
  }
  await manager.query(
    `INSERT INTO outbox (id, topic, key, type, payload, headers) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
    [event.id, topicOf(event.type), key ?? event.subject, event.type, JSON.stringify(event), JSON.stringify({ 'ce-type': event.type })],
  );
}

/**
 * Writes many event rows in the caller's transaction with one statement (bulk producers such as ingestion, where a
 * row per round trip would cap throughput). Same guarantees as `enqueueEvent`.
 */
export async function enqueueEvents(manager: EntityManager, events: ReadonlyArray<CloudEvent & { type: EventType }>, keyOf: (e: CloudEvent) => string = (e) => e.subject): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('enqueueEvents must run inside the transaction of the state change it announces');
  }
  for (let i = 0; i < events.length; i += 5000) {
    const chunk = events.slice(i, i + 5000);
    await manager.query(
      `INSERT INTO outbox (id, topic, key, type, payload, headers)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[])
       ON CONFLICT (id) DO NOTHING`,
      [
        chunk.map((e) => e.id),
        chunk.map((e) => topicOf(e.type)),
        chunk.map(keyOf),
        chunk.map((e) => e.type),
        chunk.map((e) => JSON.stringify(e)),
        chunk.map((e) => JSON.stringify({ 'ce-type': e.type })),
      ],
    );
  }
}
