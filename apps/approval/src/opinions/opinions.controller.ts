import { AnchorSubmitError } from '@gov/ledger';
import { Authenticated, Role } from '@gov/auth';
import type { LedgerVerdict } from '@gov/ledger';
import { ApiErrors, KitErrors } from '@gov/service-kit';
import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApprovalErrors } from '../errors';
import { OpinionsAnchoring } from '../worklist/opinions-anchoring';
import { OpinionsRepository } from '../worklist/opinions.repository';

@ApiTags('opinions')
@Controller('opinions')
export class OpinionsController {
  constructor(
    private readonly opinions: OpinionsRepository,
    private readonly anchoring: OpinionsAnchoring,
  ) {}

  /** The ledger library's verdict, the shape of identity's `GET /audit/verify`. */
  @Get('verify')
  @Authenticated(Role.Supervisor, Role.Sysadmin)
  @ApiOperation({
    summary: "Verify every opinion chain (one per case) in pages, and against the heads identity signed: the ledger library's verdict, as identity's GET /audit/verify",
  })
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  verify(): Promise<LedgerVerdict> {
    return this.opinions.verify();
  }

  @Post('anchors')
  @HttpCode(200)
  @Authenticated(Role.Sysadmin)
  @ApiOperation({ summary: 'Anchor the opinion chains now: submit the changed heads to identity for signing (they are also anchored at a fixed interval)' })
  @ApiErrors(ApprovalErrors, 'AnchoringOff', 'ChainRewritten', 'AnchoringFailed')
  @ApiErrors(KitErrors, 'Unauthenticated', 'Forbidden')
  async anchorNow(): Promise<{ submitted: number }> {
    const anchorer = this.anchoring.anchoring?.anchorer;
    if (!anchorer) throw ApprovalErrors.error('AnchoringOff', 'This deployment does not anchor its opinion chains (LEDGER_ANCHORING=off or no SERVICE_CLIENT_SECRET).');
    try {
      return { submitted: await anchorer.anchorNow() };
    } catch (e) {
      if (e instanceof AnchorSubmitError && e.conflict) {
        throw ApprovalErrors.error('ChainRewritten', 'Identity holds a different anchored head for one of the opinion chains: the chain was rewritten after it was anchored. Run GET /opinions/verify for the break.', { identity: e.body.slice(0, 2000) });
      }
      throw ApprovalErrors.error('AnchoringFailed', `Identity did not sign the heads: ${e instanceof Error ? e.message.slice(0, 500) : String(e)}. They are submitted again at the next interval.`);
    }
  }
}
