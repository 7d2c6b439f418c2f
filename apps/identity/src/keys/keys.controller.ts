import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal, Role } from '@gov/auth';
import { AuditService } from '../audit/audit.service';
import { KeysService } from './keys.service';

@ApiTags('keys')
@Controller('keys')
@Authenticated(Role.Sysadmin)
export class KeysController {
  constructor(
    private readonly keys: KeysService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  list() {
    return this.keys.listKeys();
  }

  @Post('rotate')
  @HttpCode(202)
  async rotate(@CurrentPrincipal() p: Principal) {
    const result = await this.keys.rotate();
    await this.audit.record({ actor: p.subject, actorLabel: p.name, action: 'keys.rotate', target: result.kid, outcome: 'success', details: { activatesAt: result.activatesAt.toISOString() } });
    return result;
  }
}
