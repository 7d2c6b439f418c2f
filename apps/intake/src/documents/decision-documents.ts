import type { CaseDecidedData } from '@gov/contracts';
import { type EventOf, type InboxContext, OnEvent } from '@gov/messaging';
import { Controller, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BureauRules } from '../acceptance/bureau-rules';
import { Application } from '../applications/application.entity';
import { Licence } from '../licences/licence.entity';
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
    const base = {
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

/** `gov.approval.case.decided` from approval.case.v1, served by the inbox transport (INTAKE_CONSUMERS). */
@Controller()
export class DecisionEventsConsumer {
  constructor(private readonly documents: DecisionDocuments) {}

  @OnEvent('gov.approval.case.decided', { group: DECISION_CONSUMER })
  async decided(event: EventOf<'gov.approval.case.decided'>, ctx: InboxContext): Promise<void> {
    const ids = await this.documents.handle(event.data, ctx.manager);
    // Rendered and sealed after the commit (never inside the transaction); the sealer finishes what this leaves.
    if (ids && ids.length > 0) ctx.afterCommit(() => this.documents.complete(ids));
  }
}
