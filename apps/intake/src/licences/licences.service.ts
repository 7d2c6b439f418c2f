import { Injectable } from '@nestjs/common';
import { IntakeErrors } from '../errors';
import { NoticeClock, NoticeIssuer } from '../notices/notice-issuer.service';
import { shanghaiDate } from '../notices/notice-kinds';
import { NoticesRepository } from '../notices/notices.repository';
import type { Licence } from './licence.entity';
import type { LicenceStatus, LicenceViewDto } from './licence-view.dto';
import { LicencesRepository } from './licences.repository';

/** The licence store's reads: a licence with its status and its sealed document. */
@Injectable()
export class LicencesService {
  constructor(
    private readonly repo: LicencesRepository,
    private readonly notices: NoticesRepository,
    private readonly issuer: NoticeIssuer,
    private readonly clock: NoticeClock,
  ) {}

  /** revoked > pending (not sealed) > expired (after its last valid day, CST) > valid. */
  statusOf(l: Licence, sealed: boolean, now: Date = this.clock.now()): LicenceStatus {
    if (l.revokedAt) return 'revoked';
    if (!sealed) return 'pending';
    if (l.validTo !== null && shanghaiDate(now) > l.validTo) return 'expired';
    return 'valid';
  }

  async byNumber(licenceNumber: string): Promise<Licence | null> {
    return this.repo.byNumber(licenceNumber);
  }

  async byHolder(holderId: string): Promise<Licence[]> {
    return this.repo.byHolder(holderId);
  }

  /**
   * A licence an application may use instead of an upload (证照复用): of the slot's type, the applicant's own, and
   * valid now (not expired, revoked or still unsealed); otherwise 404/422 naming what is wrong.
   */
  async usable(licenceNumber: string, holderId: string, type: string): Promise<Licence> {
    const l = await this.repo.byNumber(licenceNumber);
    if (!l) throw IntakeErrors.error('LicenceNotFound', `No licence ${licenceNumber}.`, { field: 'licenceNumber' });
    if (l.holderId !== holderId) throw IntakeErrors.error('LicenceOfAnotherHolder', `Licence ${licenceNumber} is not held by the applicant of this application; only the applicant's own licence can stand in for a material.`, { field: 'licenceNumber' });
    if (l.licenceType !== type) throw IntakeErrors.error('LicenceNotAccepted', `Licence ${licenceNumber} is a ${l.licenceType}; this material can be taken from a ${type} only.`, { field: 'licenceNumber', accepts: type });
    const [notice] = await this.notices.byIds([l.noticeId]);
    const status = this.statusOf(l, notice?.status === 'sealed');
    if (status !== 'valid') {
      const why = { expired: `expired on ${l.validTo ?? ''}`, revoked: `was revoked${l.revocationReason ? ` (${l.revocationReason})` : ''}`, pending: 'is not sealed yet; try again shortly' }[status];
      throw IntakeErrors.error('LicenceNotUsable', `Licence ${licenceNumber} ${why}: upload the material instead.`, { field: 'licenceNumber', status });
    }
    return l;
  }

  async view(l: Licence): Promise<LicenceViewDto> {
    return (await this.views([l]))[0];
  }

  /** The licences with their status and documents (one query for the documents, without their bytes). */
  async views(licences: readonly Licence[]): Promise<LicenceViewDto[]> {
    const notices = new Map((await this.notices.byIds(licences.map((l) => l.noticeId))).map((n) => [n.id, n]));
    return licences.map((l) => {
      const notice = notices.get(l.noticeId);
      const sealed = notice?.status === 'sealed';
      const v = notice ? this.issuer.view(notice) : null;
      return {
        licenceNumber: l.licenceNumber,
        licenceType: l.licenceType,
        status: this.statusOf(l, sealed),
        holder: { kind: l.holderKind, id: l.holderId, name: l.holderName },
        matterCode: l.matterCode,
        matterName: l.matterName,
        departmentCode: l.departmentCode,
        caseNumber: l.caseNumber,
        scope: l.scope,
        validFrom: l.validFrom,
        validTo: l.validTo,
        issuedAt: l.issuedAt.toISOString(),
        revokedAt: l.revokedAt?.toISOString() ?? null,
        revocationReason: l.revocationReason,
        revocationLegalBasis: l.revocationLegalBasis,
        revocationDocumentNumber: l.revocationDocumentNumber,
        document: { noticeId: l.noticeId, verificationCode: v?.verificationCode ?? '', verifyUrl: v?.verifyUrl ?? '', sealed, sha256: v?.sha256 ?? null, downloadPath: `/notices/${l.noticeId}/pdf` },
      };
    });
  }
}
