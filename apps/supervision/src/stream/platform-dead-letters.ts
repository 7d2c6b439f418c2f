import { TOPICS } from '@gov/contracts';
import type { BusConsumer, IncomingMessage, ServiceMessaging } from '@gov/messaging';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock/clock';
import type { AlertStreamRepository } from './alert-stream.repository';

/**
 * Every service's poison messages (the platform dead-letter topic) raise an alert on the stream, once per original
 * message (topic, partition, offset, consumer). Supervision's own dead letters are left to the DeadLetterWatcher
 * (it reads them from its database), so they are not alerted twice.
 */
export class PlatformDeadLetterAlerts {
  private consumer?: BusConsumer;
  private stopping = false;

  constructor(
    private readonly options: { messaging: ServiceMessaging; groupPrefix: string; fromBeginning: boolean; ds: DataSource; stream: AlertStreamRepository; clock: Clock; logger: Logger },
  ) {}

  async start(): Promise<void> {
    const { messaging, groupPrefix, fromBeginning } = this.options;
    this.consumer = messaging.bus.consumer(`${groupPrefix}supervision.dead-letters`);
    await this.consumer.connect();
    await this.consumer.subscribe([TOPICS.deadLetter.name], { fromBeginning });
    await this.consumer.run((m, ctx) => this.handle(m, ctx.heartbeat));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.stop();
    await this.consumer?.disconnect();
  }

  /** Throws only while stopping (the offset stays uncommitted): a database outage is waited out, heartbeating. */
  async handle(m: IncomingMessage, heartbeat: () => Promise<void> = async () => undefined): Promise<void> {
    const h = m.headers;
    const consumer = h['x-dlq-consumer'] ?? 'unknown';
    if (consumer.startsWith(`${this.options.groupPrefix}supervision.`)) return;
    const origin = `${h['x-original-topic'] ?? m.topic}:${h['x-original-partition'] ?? m.partition}:${h['x-original-offset'] ?? m.offset}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.ds.transaction((manager) =>
          this.options.stream.append(manager, {
            kind: 'dead-letter',
            level: 'warning',
            rule: 'dead-letter',
            dedupeKey: `platform-dead-letter:${consumer}:${origin}`,
            evidence: {
              consumer,
              topic: h['x-original-topic'] ?? null,
              partition: h['x-original-partition'] ?? null,
              offset: h['x-original-offset'] ?? null,
              eventId: h['ce-id'] ?? null,
              reason: (h['x-dlq-reason'] ?? '').slice(0, 2000),
              deadLetteredAt: h['x-dlq-time'] ?? null,
              key: m.key,
            },
            raisedAt: this.options.clock.now(),
          }),
        );
        return;
      } catch (e) {
        // stopping: leave the offset uncommitted, the next start alerts it
        if (this.stopping) throw e;
        this.options.logger.error({ err: e, attempt, origin }, 'could not alert a platform dead letter; retrying');
        await heartbeat().catch(() => undefined);
        await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** attempt, 10_000)));
      }
    }
  }
}
