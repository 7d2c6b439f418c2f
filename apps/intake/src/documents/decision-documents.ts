import type { CaseDecidedData, CaseEndedData } from '@gov/contracts';
import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BureauRules } from '../acceptance/bureau-rules';
import { Application, RUNNING } from '../applications/application.entity';
import { Licence } from '../licences/licence.entity';
import { LicenceRevocations } from '../licences/licence-revocation.service';
import { LicencesRepository } from '../licences/licences.repository';
import { MatterCatalogue } from '../matters/catalogue/matter-catalogue';
import type { MatterElements } from '../matters/matter-version';
import { NoticeClock, NoticeIssuer } from '../notices/notice-issuer.service';
import { shanghaiDate } from '../notices/notice-kinds';
import { PublicityService } from '../publicity/publicity.service';

/** The inbox consumer group of approval's decisions (also the inbox's consumer name: keep it stable). */
export const DECISION_CONSUMER = 'intake.notify-decision';

/** What a 不予许可决定书 says when approval sent no reasons (art. 20 requires them: approval should fill `reasons`). */
export const REASONS_NOT_GIVEN = '经审查，你（单位）的申请不符合法定条件、标准。具体理由见审批机关的审查意见，可向本机关查询。';

/** The reason a 不予许可决定书 prints for a refusal the flow gave a `refusalReason` for (seed 001 text 3 art. 20). */
export const FLOW_REFUSAL_REASONS: Record<string, string> = {
  'fee-unpaid': '你（单位）未在缴费通知书规定的期限内缴纳依法应当缴纳的费用，本机关决定不予行政许可。',
};

/** What a 撤销行政许可决定书 says when approval sent no reasons. */
export const REVOCATION_REASON_NOT_GIVEN = '经核查，你（单位）作出的告知承诺与实际情况不符，不具备行政许可的法定条件。';

/** The record against the applicant a revocation for a false commitment carries (seed 003: 虚假承诺记入信用记录). */
export const FALSE_COMMITMENT_RECORD = '虚假承诺，已记入申请人信用记录，依法实施失信惩戒';

type DecisionBase = {
  applicationId: string;
  caseNumber: string;
  applicant: { kind: Application['applicantKind']; id: string; name: string };
  matter: { code: string; name: string };
  departmentCode: string;
  documentNumber: string;
  decidedAt: string;
  decidedBy?: string;
  legalBasis?: string;
};

/** The licence a decision issues: the catalogue's result when it names a validity (a licence, not a letter). */
export function licenceTermsOf(result: MatterElements['result'], decidedAt: Date): { type: string; validFrom: string; validTo: string } | null {
  if (result.validityMonths === null) return null;
  const validFrom = shanghaiDate(decidedAt);
  const [y, m, d] = validFrom.split('-').map(Number);
  // The last valid day (民法典 art. 201-202: the decision day is not counted; a period in months ends on the
  // corresponding day of its last month, or that month's last day when it has none): 60 months from 2026-12-03 end on
  // 2031-12-03, one month from 2027-01-31 on 2027-02-28.
  const monthStart = new Date(Date.UTC(y, m - 1 + result.validityMonths, 1));
  const daysInMonth = new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + 1, 0)).getUTCDate();
  const end = new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth(), Math.min(d, daysInMonth)));
  return { type: result.name, validFrom, validTo: end.toISOString().slice(0, 10) };
}

export function licenceNumberOf(caseNumber: string): string {
  return `LIC-${caseNumber}`;
}

/**
 * Issues the documents of a decision (seed 001 text 3 art. 19-21) when approval announces it: the 准予行政许可决定书
 * with the licence (电子证照, into the licence store) when the matter's result is one, or the 不予许可决定书 with
 * the reasons and the remedies; and the case's publicity entry. All recorded in the inbox transaction, once per case
 * and kind however often the event arrives; they are rendered and sealed after the commit (or by the sealer), and the sealed
 * decision document notifies the applicant (with the document).
 */
@Injectable()
export class DecisionDocuments {
  constructor(
    private readonly issuer: NoticeIssuer,
    private readonly catalogue: MatterCatalogue,
    private readonly bureaus: BureauRules,
    private readonly licences: LicencesRepository,
    private readonly publicity: PublicityService,
    private readonly clock: NoticeClock,
    private readonly revocations: LicenceRevocations,
  ) {}

  /**
   * In the inbox transaction: records the documents and returns their notice ids, to be completed (rendered, sealed)
   * after the commit. A case intake does not know (another intake's) is skipped: null.
   */
  async handle(d: CaseDecidedData, manager: EntityManager): Promise<string[] | null> {
    const app = await manager.getRepository(Application).findOneBy({ caseNumber: d.caseNumber });
    if (!app) return null;
    const version = await this.catalogue.version(app.matterCode, app.matterVersion);
    const elements = version?.elements;
    const matter = { code: app.matterCode, name: elements?.name ?? app.matterCode };
    const decidedAt = new Date(d.decidedAt);
    const base: DecisionBase = {
      applicationId: app.id,
      caseNumber: app.caseNumber,
      applicant: { kind: app.applicantKind, id: app.applicantId, name: app.applicantName },
      matter,
      // Sealed by the deciding department (approval names it), else by the organisation that handled the case.
      departmentCode: d.decidingDepartmentCode ?? app.departmentCode,
      documentNumber: d.documentNumber,
      decidedAt: d.decidedAt,
      ...(d.decidedBy ? { decidedBy: d.decidedBy.name } : {}),
      ...(d.legalBasis ? { legalBasis: d.legalBasis } : elements?.legalBasis.length ? { legalBasis: elements.legalBasis.join('；').slice(0, 1000) } : {}),
    };
    const now = this.clock.now();
    // 备案 is not a licence (seed 003): a receipt, no licence, and not among the results art. 21 publishes.
    if (d.decision === 'filed') return [await this.issuer.record(manager, 'filing-receipt', base)];
    if (d.decision === 'revoked') return this.revocation(d, app, base, manager);
    if (d.decision === 'rejected') {
      const rules = this.bureaus.of(app.tenantId);
      const flowReason = d.refusalReason ? FLOW_REFUSAL_REASONS[d.refusalReason] : undefined;
      const reasons = [...(flowReason ? [flowReason] : []), ...(d.reasons ?? []).map((r) => r.trim()).filter((r) => r.length > 0)];
      const refusalId = await this.issuer.record(manager, 'refusal-decision', { ...base, reasons: reasons.length > 0 ? reasons : [REASONS_NOT_GIVEN], reviewBody: rules.reviewBody, court: rules.court });
      await this.publicity.record(manager, { ...this.publicityBase(app, matter, base.departmentCode, d), decision: 'rejected', publicityCase: 'refused', licence: null, countsFrom: decidedAt }, now);
      return [refusalId];
    }
    const terms = elements ? licenceTermsOf(elements.result, decidedAt) : null;
    const licence = terms ? { number: licenceNumberOf(app.caseNumber), ...terms } : null;
    const ids: string[] = [];
    ids.push(await this.issuer.record(manager, 'approval-decision', { ...base, ...(licence ? { licence } : {}), ...(d.higherApprovalAt ? { higherApprovalAt: d.higherApprovalAt } : {}) }));
    if (licence) {
      const scope = d.licenceScope ?? (typeof app.form['businessScope'] === 'string' && app.form['businessScope'].trim() ? app.form['businessScope'].trim().slice(0, 1000) : matter.name);
      const noticeId = await this.issuer.record(manager, 'licence', {
        applicationId: app.id,
        caseNumber: app.caseNumber,
        applicant: base.applicant,
        matter,
        departmentCode: base.departmentCode,
        licenceNumber: licence.number,
        licenceType: licence.type,
        scope,
        validFrom: licence.validFrom,
        validTo: licence.validTo,
        decisionDocumentNumber: d.documentNumber,
      });
      ids.push(noticeId);
      await this.licences.insertIfAbsent(
        manager,
        Object.assign(new Licence(), {
          licenceNumber: licence.number,
          licenceType: licence.type,
          noticeId,
          applicationId: app.id,
          caseNumber: app.caseNumber,
          matterCode: matter.code,
          matterName: matter.name,
          departmentCode: base.departmentCode,
          tenantId: app.tenantId,
          holderKind: app.applicantKind,
          holderId: app.applicantId,
          holderName: app.applicantName,
          scope,
          validFrom: licence.validFrom,
          validTo: licence.validTo,
          issuedAt: decidedAt,
          revokedAt: null,
          revocationReason: null,
          revocationLegalBasis: null,
          revocationDocumentNumber: null,
          revokedBy: null,
        }),
      );
    }
    // Art. 21: (三) a 上报件 counts from the higher authority's approval, (一) a licence from its issue (with the
    // decision), (二) any other approval from the decision.
    const publicityCase = d.higherApprovalAt ? 'higher-approved' : licence ? 'licence-issued' : 'approved';
    const countsFrom = d.higherApprovalAt ? new Date(d.higherApprovalAt) : decidedAt;
    await this.publicity.record(manager, { ...this.publicityBase(app, matter, base.departmentCode, d), decision: 'approved', publicityCase, licence: licence ? { number: licence.number, type: licence.type } : null, countsFrom }, now);
    return ids;
  }

  /**
   * 撤销行政许可决定 (告知承诺制: a false commitment): the decision document with the reasons, the revoked decision's
   * number, the record against the applicant and the remedies; the licence the revoked decision issued is revoked in
   * the store (once). Not published: art. 21 publishes approvals and refusals, not their later revocation.
   */
  private async revocation(d: CaseDecidedData, app: Application, base: DecisionBase, manager: EntityManager): Promise<string[]> {
    const rules = this.bureaus.of(app.tenantId);
    const reasons = (d.reasons ?? []).map((r) => r.trim()).filter((r) => r.length > 0);
    const licence = await this.licences.lockOfCase(manager, app.caseNumber);
    const revokes = d.revokesDocumentNumber ?? '（原行政许可决定）';
    const id = await this.issuer.record(manager, 'revocation-decision', {
      ...base,
      revokesDocumentNumber: revokes,
      reasons: reasons.length > 0 ? reasons : [REVOCATION_REASON_NOT_GIVEN],
      ...(licence ? { licenceNumber: licence.licenceNumber } : {}),
      creditRecord: d.creditRecord ? `${d.creditRecord}（已记入申请人信用记录）`.slice(0, 500) : FALSE_COMMITMENT_RECORD,
      reviewBody: rules.reviewBody,
      court: rules.court,
    });
    if (licence) {
      await this.revocations.revoke(manager, licence, {
        reason: (reasons.length > 0 ? reasons.join('；') : REVOCATION_REASON_NOT_GIVEN).slice(0, 1000),
        legalBasis: base.legalBasis ?? null,
        documentNumber: d.documentNumber,
        by: `decision:${d.documentNumber}`,
        at: new Date(d.decidedAt),
      });
    }
    return [id];
  }

  /**
   * A case approval ended as withdrawn (gov.approval.case.ended). When the window withdrew it, intake already closed the
   * application and issued the 准予撤回 notice: nothing to do. When it came from the flow's own withdrawal subprocess
   * (the message `withdrawal` correlated on the engine), the application is still running here: it is closed and the
   * 准予撤回 notice issued now, so the applicant gets one whichever way the withdrawal arrived.
   */
  async ended(d: CaseEndedData, manager: EntityManager): Promise<string[] | null> {
    if (d.outcome !== 'withdrawn') return null;
    const app = await manager.getRepository(Application).findOne({ where: { caseNumber: d.caseNumber }, lock: { mode: 'pessimistic_write' } });
    if (!app || !RUNNING.includes(app.status)) return null;
    const endedAt = new Date(d.endedAt);
    await manager.query(`UPDATE applications SET status = 'withdrawn', closed_at = $2, deferred_deadline = NULL, version = version + 1 WHERE id = $1`, [app.id, endedAt]);
    const version = await this.catalogue.version(app.matterCode, app.matterVersion);
    const id = await this.issuer.record(manager, 'withdrawal', {
      applicationId: app.id,
      caseNumber: app.caseNumber,
      applicant: { kind: app.applicantKind, id: app.applicantId, name: app.applicantName },
      matter: { code: app.matterCode, name: version?.elements.name ?? app.matterCode },
      departmentCode: app.departmentCode,
      requestedAt: d.endedAt,
      approvedAt: d.endedAt,
      officer: '审批机关',
      reason: d.reason.trim().slice(0, 500),
    });
    return [id];
  }

  /** After the commit: render and seal the recorded documents, one at a time (a failure is left to the sealer). */
  async complete(noticeIds: readonly string[]): Promise<void> {
    for (const id of noticeIds) await this.issuer.complete(id);
  }

  private publicityBase(app: Application, matter: { code: string; name: string }, departmentCode: string, d: CaseDecidedData) {
    return {
      caseNumber: app.caseNumber,
      applicationId: app.id,
      matter,
      departmentCode,
      tenantId: app.tenantId,
      applicant: { kind: app.applicantKind, id: app.applicantId, name: app.applicantName },
      documentNumber: d.documentNumber,
      decidedAt: new Date(d.decidedAt),
    };
  }
}

/** `gov.approval.case.decided` and `.ended` from approval.case.v1, served by the inbox transport (INTAKE_CONSUMERS). */
@Controller()
export class DecisionEventsConsumer {
  constructor(private readonly documents: DecisionDocuments) {}

  @OnEvent('gov.approval.case.decided', { group: DECISION_CONSUMER })
  async decided(event: EventOf<'gov.approval.case.decided'>, ctx: InboxContext): Promise<void> {
    const ids = await this.documents.handle(event.data, ctx.manager);
    // Rendered and sealed after the commit (never inside the transaction); the sealer finishes what this leaves.
    if (ids && ids.length > 0) ctx.afterCommit(() => this.documents.complete(ids));
  }

  @OnEvent('gov.approval.case.ended', { group: DECISION_CONSUMER })
  async ended(event: EventOf<'gov.approval.case.ended'>, ctx: InboxContext): Promise<void> {
    const ids = await this.documents.ended(event.data, ctx.manager);
    if (ids && ids.length > 0) ctx.afterCommit(() => this.documents.complete(ids));
  }
}
