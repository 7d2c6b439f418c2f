import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, Role } from '@gov/auth';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AuditService } from './audit.service';

export class AuditQueryDto {
  @IsOptional() @IsString() actor?: string;
  @IsOptional() @IsString() action?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @IsOptional() @Matches(/^\d{1,18}$/) beforeSeq?: string;
  /** The service where it happened: identity, intake, approval, supervision, exchange. */
  @IsOptional() @Matches(/^[a-z][a-z0-9-]{1,31}$/, { message: 'service must be a service name such as approval' }) service?: string;
  /** The request's trace id (the x-trace-id response header, or the x-request-id the client sent). */
  @IsOptional() @Matches(/^[\w-]{8,64}$/, { message: 'traceId must be 8-64 letters, digits, _ or -' }) traceId?: string;
}

@ApiTags('audit')
@Controller('audit')
@Authenticated(Role.Supervisor, Role.Sysadmin)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  list(@Query() q: AuditQueryDto) {
    return this.audit.list({ actor: q.actor, action: q.action, service: q.service, traceId: q.traceId, beforeSeq: q.beforeSeq, limit: q.limit ?? 100 });
  }

  /** Recomputes every chain in pages and checks it against the signed heads identity published. */
  @Get('verify')
  verify() {
    return this.audit.verify();
  }
}
