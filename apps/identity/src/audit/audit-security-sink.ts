import type { SecurityEventSink } from '@gov/auth';
import type { SecurityEventData } from '@gov/contracts';
import type { AuditService } from './audit.service';

/** Identity's own security events go straight into its audit trail (batched), not through Kafka. */
export class AuditSecurityEventSink implements SecurityEventSink {
  constructor(private readonly audit: AuditService) {}

  record(event: SecurityEventData): void {
    this.audit.recordSecurityEvent(event);
  }

  flush(): Promise<void> {
    return this.audit.flush();
  }
}
