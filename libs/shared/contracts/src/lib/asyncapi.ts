import { z } from 'zod';
import { CloudEventEnvelope } from './envelope';
import { EVENT_TYPES } from './events';
import { exchangeJsonSchemas } from './exchange';
import { ALL_TOPICS } from './topics';

/** Builds the AsyncAPI 3.0 document from the schemas above, so the document can never drift from the code. */
export function buildAsyncApiDocument(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const envelopeSchema = z.toJSONSchema(CloudEventEnvelope.omit({ data: true }), { io: 'input' }) as Record<string, unknown>;
  delete envelopeSchema.$schema;

  for (const topic of ALL_TOPICS) {
    const channelId = topic.name.replace(/\./g, '_');
    const channelMessages: Record<string, unknown> = {};
    for (const [type, spec] of Object.entries(EVENT_TYPES)) {
      if (spec.topic !== topic.name) continue;
      const messageId = type.replace(/\./g, '_');
      const dataSchema = z.toJSONSchema(spec.data, { io: 'input' }) as Record<string, unknown>;
      delete dataSchema.$schema;
      messages[messageId] = {
        name: type,
        title: type,
        summary: spec.summary,
        contentType: 'application/json',
        payload: {
          allOf: [
            envelopeSchema,
            { type: 'object', required: ['type', 'data'], properties: { type: { const: type }, data: dataSchema } },
          ],
        },
      };
      channelMessages[messageId] = { $ref: `#/components/messages/${messageId}` };
    }
    channels[channelId] = {
      address: topic.name,
      description: `${topic.description} Partitions: ${topic.partitions}; retention: ${Math.round(topic.retentionMs / 86_400_000)} days. Key: case number.`,
      messages: channelMessages,
    };
    if (Object.keys(channelMessages).length > 0) {
      operations[`publish_${channelId}`] = {
        action: 'send',
        channel: { $ref: `#/channels/${channelId}` },
        messages: Object.keys(channelMessages).map((id) => ({ $ref: `#/channels/${channelId}/messages/${id}` })),
      };
    }
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Online approval and e-supervision events',
      version: '1.0.0',
      description: 'CloudEvents 1.0 (structured JSON) on Kafka. Producers write through a transactional outbox; consumers dedupe by event id.',
    },
    defaultContentType: 'application/json',
    servers: { local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'Local single-node KRaft broker' } },
    channels,
    operations,
    // The exchange format of departments' own systems (issue 10 §8) is published with the events.
    components: { messages, schemas: exchangeJsonSchemas() },
  };
}
