import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuthzAuditInterceptor } from './authz-audit.interceptor';

@Global()
@Module({ controllers: [AuditController], providers: [AuditRepository, AuditService, { provide: APP_INTERCEPTOR, useClass: AuthzAuditInterceptor }], exports: [AuditService, AuditRepository] })
export class AuditModule {}
