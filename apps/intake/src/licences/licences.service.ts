import { Injectable } from '@nestjs/common';
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

  async view(l: Licence): Promise<LicenceViewDto> {
    const notice = await this.notices.byId(l.noticeId);
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
      document: { noticeId: l.noticeId, verificationCode: v?.verificationCode ?? '', verifyUrl: v?.verifyUrl ?? '', sealed, sha256: v?.sha256 ?? null, downloadPath: `/notices/${l.noticeId}/pdf` },
    };
  }
}
