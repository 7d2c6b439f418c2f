import { randomUUID } from 'node:crypto';
import { type CloudEvent, CloudEventEnvelope } from './envelope';
import { EVENT_TYPES, type EventData, type EventType, isEventType } from './events';

export interface NewEvent<T extends EventType> {
  type: T;
  source: string;
  subject: string;
  data: EventData<T>;
  tenantId?: string;
  traceId?: string;
  correlationId?: string;
  id?: string;
  time?: Date;
}

/** Builds and validates an event; throws if `data` does not match the type's schema (a producer bug). */
export function makeEvent<T extends EventType>(e: NewEvent<T>): CloudEvent<EventData<T>> & { type: T } {
  const data = EVENT_TYPES[e.type].data.parse(e.data) as EventData<T>;
  const envelope = {
    specversion: '1.0' as const,
    id: e.id ?? randomUUID(),
    source: e.source,
    type: e.type,
    time: (e.time ?? new Date()).toISOString(),
    subject: e.subject,
    datacontenttype: 'application/json' as const,
    ...(e.tenantId ? { tenantid: e.tenantId } : {}),
    ...(e.traceId ? { traceid: e.traceId } : {}),
    ...(e.correlationId ? { correlationid: e.correlationId } : {}),
    data,
  };
  CloudEventEnvelope.parse(envelope);
  return envelope;
}

export function topicOf(type: EventType): string {
  return EVENT_TYPES[type].topic;
}

export type DecodeResult =
  | { ok: true; event: CloudEvent<unknown> & { type: EventType } }
  | { ok: false; reason: string; id?: string };

/** Parses and validates a message from Kafka: the envelope, a known type, and the type's data schema. */
export function decodeEvent(raw: Buffer | string | null | undefined): DecodeResult {
  if (raw === null || raw === undefined || raw.length === 0) return { ok: false, reason: 'empty message' };
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const envelope = CloudEventEnvelope.safeParse(json);
  if (!envelope.success) {
    const id = typeof (json as { id?: unknown })?.id === 'string' ? (json as { id: string }).id : undefined;
    return { ok: false, reason: `invalid envelope: ${envelope.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, id };
  }
  const type = envelope.data.type;
  if (!isEventType(type)) return { ok: false, reason: `unknown event type ${type}`, id: envelope.data.id };
  const data = EVENT_TYPES[type].data.safeParse(envelope.data.data);
  if (!data.success) {
    return { ok: false, reason: `invalid data for ${type}: ${data.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, id: envelope.data.id };
  }
  return { ok: true, event: { ...envelope.data, type, data: data.data } };
}
