// Helpers for integration and end-to-end tests. They talk to the real components that the stack tool started.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Client } from 'pg';

export const STACK = {
  pg: { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432) },
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  engineUrl: process.env.ENGINE_URL ?? 'http://127.0.0.1:8080/engine-rest',
  intake: process.env.INTAKE_URL ?? 'http://127.0.0.1:3002',
  approval: process.env.APPROVAL_URL ?? 'http://127.0.0.1:3003',
  supervision: process.env.SUPERVISION_URL ?? 'http://127.0.0.1:3004',
  identity: process.env.IDENTITY_URL ?? 'http://127.0.0.1:3001',
};

export async function eventually<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function http<T = unknown>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* plain text */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Runs SQL as the superuser against one database of the stack (for setup and for inspecting effects). */
export async function sql<R = Record<string, unknown>>(database: string, text: string, params: unknown[] = []): Promise<R[]> {
  const client = new Client({ host: STACK.pg.host, port: STACK.pg.port, user: process.env.PGSUPERUSER ?? 'postgres', database });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as R[];
  } finally {
    await client.end();
  }
}

export function kafka(clientId = `test-${randomUUID().slice(0, 8)}`): Kafka {
  return new Kafka({ clientId, brokers: STACK.kafkaBrokers, logLevel: logLevel.NOTHING });
}

export interface CollectedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/**
 * Collects every message of some topics from the start, with a fresh consumer group, until stopped.
 * Use `until()` to wait for a condition over what has arrived.
 */
export class TopicCollector {
  readonly messages: CollectedMessage[] = [];
  private consumer?: Consumer;

  constructor(private readonly topics: string[]) {}

  async start(fromBeginning = true): Promise<this> {
    this.consumer = kafka().consumer({ groupId: `test-collector-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(v);
        this.messages.push({ topic, partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? '', headers });
      },
    });
    return this;
  }

  /** Parsed CloudEvents collected so far (unparseable messages skipped). */
  events<T = { id: string; type: string; subject: string; data: Record<string, unknown> }>(): T[] {
    return this.messages.flatMap((m) => {
      try {
        return [JSON.parse(m.value) as T];
      } catch {
        return [];
      }
    });
  }

  async until<T>(what: string, probe: (self: this) => T | undefined | false | null, timeoutMs = 30_000): Promise<T> {
    return eventually(what, async () => probe(this), timeoutMs, 100);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
