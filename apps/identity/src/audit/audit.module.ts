import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { PlatformAuditRuntime } from './platform-audit.consumer';

// 401s and 403s (the guard's and those thrown in handlers) are recorded by the auth kit's guard and
// RefusalAuditInterceptor through AuditSecurityEventSink (see app.module).
@Global()
@Module({ controllers: [AuditController], providers: [AuditRepository, AuditService, PlatformAuditRuntime], exports: [AuditService, AuditRepository] })
export class AuditModule {}
