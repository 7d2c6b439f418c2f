import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal, Role, actorLabel } from '@gov/auth';
import { ApiErrors, AppError } from '@gov/service-kit';
import type { Request } from 'express';
import { AnchorErrors } from './anchors.errors';
import { AnchorsService } from './anchors.service';
import { AnchorsQueryDto, ReanchorDto, SubmitAnchorsDto } from './dtos/anchors.dto';

@ApiTags('ledger')
@Controller('ledger')
export class AnchorsController {
  constructor(private readonly anchors: AnchorsService) {}

  @Post('anchors')
  @HttpCode(200)
  @Authenticated(Role.Service)
  @ApiOperation({ summary: "Sign and publish chain heads (a service submits its own ledgers' heads)" })
  @ApiErrors(AnchorErrors, 'AnchorConflict')
  async submit(@Body() body: SubmitAnchorsDto, @CurrentPrincipal() p: Principal) {
    for (const h of body.heads) {
      if (h.ledger.split('.')[0] !== p.subject) throw AppError.forbidden('NotYourLedger', `A service anchors only its own ledgers (${p.subject}.*), not ${h.ledger}.`);
    }
    return { anchors: await this.anchors.anchor(body.heads, p.subject) };
  }

  @Get('anchors')
  @Authenticated(Role.Service, Role.Supervisor, Role.Sysadmin)
  @ApiOperation({ summary: 'The latest signed head of each partition of a ledger, in pages ordered by partition' })
  async list(@Query() q: AnchorsQueryDto) {
    const limit = q.limit ?? 500;
    const items = await this.anchors.latest(q.ledger, { partition: q.partition, after: q.after, limit });
    return { items, next: items.length === limit ? items[items.length - 1].partition : null };
  }

  @Post('anchors/audit')
  @HttpCode(200)
  @Authenticated(Role.Sysadmin)
  @ApiOperation({ summary: "Anchor identity's audit chains now (they are also anchored at a fixed interval)" })
  async anchorAuditNow() {
    return { submitted: await this.anchors.anchorAuditNow() };
  }

  @Post('reanchor')
  @Authenticated(Role.Sysadmin)
  @ApiOperation({
    summary: 'Repair path: acknowledge the first break of the audit trail with a signed, audited re-anchor record',
    description:
      "Identity's audit trail only; a sysadmin in person (not under a delegation); the body names the break (partition and seq of GET /audit/verify's firstBroken). Every attempt is recorded in the audit trail, refused ones too.",
  })
  @ApiErrors(AnchorErrors, 'ChainIntact', 'BreakMismatch', 'ReanchorInPersonOnly')
  reanchor(@Body() body: ReanchorDto, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    return this.anchors.reanchorAudit(
      { reason: body.reason, partition: body.partition, seq: body.seq },
      { subject: p.actor?.subject ?? p.subject, label: actorLabel(p), ip: req.ip, delegated: !!(p.actor ?? p.delegation) },
    );
  }
}
