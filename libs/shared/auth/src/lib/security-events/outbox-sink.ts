import { makeEvent, type SecurityEventData } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import type { DataSource } from 'typeorm';
import { BatchWriter, type BatchWriterLogger } from './batch-writer';
import type { SecurityEventSink } from './security-events';

/**
 * Writes security events to the service's outbox (topic `platform.audit.v1`, keyed by service), in short
 * transactions of their own, batched, after the response: a refusal never waits for it and never becomes a
 * 500 because of it. The service's relay publishes them; identity appends them to the platform audit trail.
 */
export class OutboxSecurityEventSink implements SecurityEventSink {
  private readonly writer: BatchWriter<SecurityEventData>;

  constructor(ds: DataSource, logger: BatchWriterLogger, options: { batchSize?: number } = {}) {
    this.writer = new BatchWriter<SecurityEventData>({
      logger,
      what: 'security event',
      batchSize: options.batchSize ?? 200,
      write: (batch) =>
        ds.transaction(async (manager) => {
          for (const data of batch) {
            const traceId = typeof data.details['traceId'] === 'string' ? data.details['traceId'] : undefined;
            await enqueueEvent(manager, makeEvent({ type: 'gov.platform.security.recorded', source: `/${data.service}`, subject: data.service, traceId: traceId && traceId.length <= 64 ? traceId : undefined, data }), data.service);
          }
        }),
    });
  }

  record(event: SecurityEventData): void {
    this.writer.push(event);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }
}
