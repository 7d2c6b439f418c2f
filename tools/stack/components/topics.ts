// Creates the platform's Kafka topics (explicit partitions and retention from the contracts lib).
import { ALL_TOPICS } from '@gov/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { type Component, progress } from '../lib';
import { KAFKA_BROKERS } from './kafka';

function admin() {
  return new Kafka({ clientId: 'stack-topics', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
}

export const topics: Component = {
  name: 'topics',
  needs: ['kafka'],
  kind: 'task',
  async healthy() {
    const a = admin();
    try {
      await a.connect();
      const existing = new Set(await a.listTopics());
      return ALL_TOPICS.every((t) => existing.has(t.name));
    } catch {
      return false;
    } finally {
      await a.disconnect().catch(() => undefined);
    }
  },
  async start() {
    const a = admin();
    await a.connect();
    try {
      const existing = new Set(await a.listTopics());
      const missing = ALL_TOPICS.filter((t) => !existing.has(t.name));
      if (missing.length === 0) return;
      await a.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: 1,
          configEntries: [{ name: 'retention.ms', value: String(t.retentionMs) }],
        })),
      });
      progress('topics', `created ${missing.map((t) => `${t.name}(${t.partitions}p)`).join(', ')}`);
    } finally {
      await a.disconnect();
    }
  },
  async stop() {
    /* topics live in the broker's data */
  },
};
