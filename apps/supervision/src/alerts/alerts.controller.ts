import { AnchorSubmitError } from '@gov/ledger';
import { Authenticated, CurrentPrincipal, OrgScope, type Principal, Role } from '@gov/auth';
import type { LedgerVerdict } from '@gov/ledger';
import { ApiErrors, KitErrors } from '@gov/service-kit';
import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SupervisionErrors } from '../errors';
import { AlertsAnchoring } from './alerts-anchoring';
import { type AlertRow, AlertsRepository } from './alerts.repository';
import { AlertsQueryDto } from './dtos/alerts-query.dto';

@ApiTags('supervision')
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly anchoring: AlertsAnchoring,
  ) {}

  /** The ledger library's verdict, the shape of identity's `GET /audit/verify`. */
  @Get('verify')
  @Authenticated(Role.Supervisor, Role.Sysadmin)
  @ApiOperation({
    summary: "Verify the alert chains in pages, and against the heads identity signed (detects edits made around the triggers): the ledger library's verdict, as identity's GET /audit/verify",
  })
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  verify(): Promise<LedgerVerdict> {
    return this.alerts.verify();
  }

  @Post('anchors')
  @HttpCode(200)
  @Authenticated(Role.Sysadmin)
  @ApiOperation({ summary: 'Anchor the alert chains now: submit the changed heads to identity for signing (they are also anchored at a fixed interval)' })
  @ApiErrors(SupervisionErrors, 'AnchoringOff', 'ChainRewritten', 'AnchoringFailed')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  async anchorNow(): Promise<{ submitted: number }> {
    const anchorer = this.anchoring.anchoring?.anchorer;
    if (!anchorer) throw SupervisionErrors.error('AnchoringOff', 'This deployment does not anchor its alert chains (LEDGER_ANCHORING=off or no SERVICE_CLIENT_SECRET).');
    try {
      return { submitted: await anchorer.anchorNow() };
    } catch (e) {
      if (e instanceof AnchorSubmitError && e.conflict) {
        throw SupervisionErrors.error('ChainRewritten', 'Identity holds a different anchored head for one of the alert chains: the chain was rewritten after it was anchored. Run GET /alerts/verify for the break.', { identity: e.body.slice(0, 2000) });
      }
      throw SupervisionErrors.error('AnchoringFailed', `Identity did not sign the heads: ${e instanceof Error ? e.message.slice(0, 500) : String(e)}. They are submitted again at the next interval.`);
    }
  }

  @Get()
  @Authenticated(Role.Supervisor, Role.Sysadmin)
  @ApiOperation({ summary: "The alert ledger, oldest first, limited to the caller's organisations" })
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden', 'ValidationFailed')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() q: AlertsQueryDto,
  ): Promise<AlertRow[]> {
    // A supervisor sees the alerts of the organisations they supervise (their region and everything below it).
    return this.alerts.list({ caseNumber: q.caseNumber, level: q.level, afterSeq: Number(q.after ?? 0), orgs: OrgScope.visibleOrgs(principal) }, q.limit ?? 200);
  }
}
