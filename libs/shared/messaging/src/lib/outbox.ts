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
    // One JSON document per statement: the driver would otherwise escape every payload again as an array literal.
    const rows = events.slice(i, i + 5000).map((e) => ({ id: e.id, topic: topicOf(e.type), key: keyOf(e), type: e.type, payload: e, headers: { 'ce-type': e.type } }));
    await manager.query(
      `INSERT INTO outbox (id, topic, key, type, payload, headers)
       SELECT (r->>'id')::uuid, r->>'topic', r->>'key', r->>'type', r->'payload', r->'headers' FROM jsonb_array_elements($1::jsonb) r
       ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }
}
