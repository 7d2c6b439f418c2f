import { LOGGER } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { AlertStreamRepository } from './alert-stream.repository';

/**
 * A dead-lettered event raises an alert (issue 10 §3: poison messages). Every row the inbox consumers wrote to
 * `dead_letters` is streamed once (dedupe key `dead-letter:<id>`), including those written while the service was down.
 */
@Injectable()
export class DeadLetterWatcher {
  constructor(
    private readonly ds: DataSource,
    private readonly stream: AlertStreamRepository,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async scan(): Promise<number> {
    const rows = await this.ds.query<{ id: string; consumer: string; topic: string; partition: number; kafka_offset: string; event_id: string | null; reason: string; created_at: Date }[]>(
      `SELECT d.* FROM dead_letters d
        WHERE NOT EXISTS (SELECT 1 FROM alert_stream a WHERE a.dedupe_key = 'dead-letter:' || d.id)
        ORDER BY d.id LIMIT 200`,
    );
    let raised = 0;
    for (const d of rows) {
      const alert = await this.ds.transaction((m) =>
        this.stream.append(m, {
          kind: 'dead-letter',
          level: 'warning',
          rule: 'dead-letter',
          dedupeKey: `dead-letter:${d.id}`,
          evidence: { consumer: d.consumer, topic: d.topic, partition: d.partition, offset: d.kafka_offset, eventId: d.event_id, reason: d.reason, deadLetteredAt: d.created_at.toISOString() },
          raisedAt: this.clock.now(),
        }),
      );
      if (alert) {
        raised++;
        this.logger.warn({ alertId: alert.alertId, topic: d.topic, offset: d.kafka_offset }, 'dead-lettered event alerted');
      }
    }
    return raised;
  }
}
