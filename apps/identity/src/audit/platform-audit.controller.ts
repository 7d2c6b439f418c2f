import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller } from '@nestjs/common';
import { AuditService } from './audit.service';

/** The consumer group (and inbox name) of the platform audit trail: keep it stable. */
export const PLATFORM_AUDIT_GROUP = 'identity.platform-audit';

/**
 * Every service's security events (`platform.audit.v1`), served by the inbox transport: each is appended to
 * identity's chained audit trail in the transaction of its inbox row, so a redelivered event is appended once. The
 * payload arrives decoded and checked against the contract (`SecurityEventRecorded`).
 */
@Controller()
export class PlatformAuditEventsController {
  constructor(private readonly audit: AuditService) {}

  @OnEvent('gov.platform.security.recorded', { group: PLATFORM_AUDIT_GROUP })
  async recorded(event: EventOf<'gov.platform.security.recorded'>, ctx: InboxContext): Promise<void> {
    await this.audit.appendSecurityEvents([event.data], ctx.manager);
  }
}
