import { Global, Module } from '@nestjs/common';
import { InboxTransport } from '@gov/messaging';
import { SERVICE_TRANSPORTS } from '@gov/service-kit';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { PlatformAuditRuntime } from './platform-audit.consumer';
import { PlatformAuditEventsController } from './platform-audit.controller';

// 401s and 403s (the guard's and those thrown in handlers) are recorded by the auth kit's guard and
// RefusalAuditInterceptor through AuditSecurityEventSink (see app.module).
@Global()
@Module({
  controllers: [AuditController, PlatformAuditEventsController],
  providers: [
    AuditRepository,
    AuditService,
    PlatformAuditRuntime,
    {
      // The platform-audit consumer (@OnEvent handlers of PlatformAuditEventsController); none when switched off.
      provide: SERVICE_TRANSPORTS,
      inject: [IDENTITY_CONFIG, PlatformAuditRuntime],
      useFactory: (config: IdentityConfig, runtime: PlatformAuditRuntime) =>
        config.PLATFORM_AUDIT_CONSUMER
          ? [new InboxTransport({ messaging: runtime.messaging, groupPrefix: config.KAFKA_GROUP_PREFIX, fromBeginning: config.KAFKA_NEW_GROUP_FROM === 'earliest' })]
          : [],
    },
  ],
  exports: [AuditService, AuditRepository],
})
export class AuditModule {}
