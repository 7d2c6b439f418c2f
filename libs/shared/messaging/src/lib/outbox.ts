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
