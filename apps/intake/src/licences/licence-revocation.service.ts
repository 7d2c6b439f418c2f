import { OrgScope, type Principal, SecurityEvents } from '@gov/auth';
import { makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { RequestContext, runIdempotent } from '@gov/service-kit';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { IntakeErrors } from '../errors';
import { NoticeClock } from '../notices/notice-issuer.service';
import type { Licence } from './licence.entity';
import type { LicenceViewDto, RevokeLicenceDto } from './licence-view.dto';
import { LicencesRepository } from './licences.repository';
import { LicencesService } from './licences.service';

export interface Revocation {
  reason: string;
  legalBasis: string | null;
  /** The revocation decision's 文号; null when an officer revokes by hand. */
  documentNumber: string | null;
  /** `decision:<文号>` or the officer's subject. */
  by: string;
  at: Date;
}

/**
 * Revokes licences in the sharing store (issue 8): a revocation decision (approval's `revoked`) revokes its case's
 * licence; an officer of the issuing department revokes one by hand with a reason and legal basis. Either way once
 * (the first revocation stands), with `gov.intake.licence.revoked` in the same transaction; a revoked licence can no
 * longer stand in for a material (LicencesService.usable).
 */
@Injectable()
export class LicenceRevocations {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: LicencesRepository,
    private readonly licences: LicencesService,
    private readonly events: SecurityEvents,
    private readonly clock: NoticeClock,
  ) {}

  /** In the caller's transaction, on a locked licence: false when it was revoked already. */
  async revoke(manager: EntityManager, l: Licence, r: Revocation): Promise<boolean> {
    if (!(await this.repo.revoke(manager, l.licenceNumber, r))) return false;
    await enqueueEvent(
      manager,
      makeEvent({
        type: 'gov.intake.licence.revoked',
        source: '/intake',
        subject: l.caseNumber,
        tenantId: l.tenantId,
        traceId: RequestContext.current()?.traceId,
        correlationId: l.applicationId,
        data: {
          licenceNumber: l.licenceNumber,
          caseNumber: l.caseNumber,
          matterCode: l.matterCode,
          departmentCode: l.departmentCode,
          reason: r.reason.slice(0, 1000),
          ...(r.legalBasis ? { legalBasis: r.legalBasis.slice(0, 1000) } : {}),
          ...(r.documentNumber ? { revocationDocumentNumber: r.documentNumber } : {}),
          revokedBy: r.documentNumber ? 'decision' : 'officer',
          revokedAt: r.at.toISOString(),
        },
      }),
    );
    return true;
  }

  /** POST /licences/:licenceNumber/revocation: only an officer of the issuing department; audited. */
  async revokeByHand(licenceNumber: string, body: RevokeLicenceDto, key: string, p: Principal, ip?: string): Promise<{ result: LicenceViewDto; replayed: boolean }> {
    const found = await this.repo.byNumber(licenceNumber);
    if (!found) throw IntakeErrors.error('LicenceNotFound', `No licence ${licenceNumber}.`, { field: 'licenceNumber' });
    OrgScope.assertCanActOn(p, { orgCode: found.departmentCode });
    const done = await runIdempotent(this.ds, `licences:${p.subject}:revoke:${licenceNumber}`, key, body, async (manager) => {
      const l = await this.repo.lock(manager, licenceNumber);
      if (!l) throw IntakeErrors.error('LicenceNotFound', `No licence ${licenceNumber}.`, { field: 'licenceNumber' });
      const at = this.clock.now();
      const revoked = await this.revoke(manager, l, { reason: body.reason.trim(), legalBasis: body.legalBasis.trim(), documentNumber: null, by: p.subject, at });
      if (!revoked) throw IntakeErrors.error('LicenceAlreadyRevoked', `Licence ${licenceNumber} was revoked on ${l.revokedAt?.toISOString() ?? ''}${l.revocationReason ? ` (${l.revocationReason})` : ''}; the first revocation stands.`, { field: 'licenceNumber' });
      const after = await this.repo.byNumber(licenceNumber, manager);
      return this.licences.view(after ?? l);
    });
    if (!done.replayed) this.events.administrativeChange(p, 'licences.revoke', licenceNumber, { departmentCode: found.departmentCode, caseNumber: found.caseNumber, legalBasis: body.legalBasis.trim() }, ip);
    return done;
  }
}
