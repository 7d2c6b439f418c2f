import { randomUUID } from 'node:crypto';
import { WorkingCalendar } from '@gov/calendar';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type AcceptanceMode, Application } from '../applications/application.entity';
import { ApplicationsRepository } from '../applications/applications.repository';
import { type AcceptanceMatter, MatterLookup } from '../applications/matter-lookup';
import { CaseNumbersRepository } from '../case-numbers/case-numbers.repository';
import { IntakeErrors } from '../errors';
import { acceptedData, emitEvent, freezeEvent } from './acceptance-events';
import { AcceptanceNotices } from './acceptance-notices';

/** How the bundle was accepted, for its parts (and their notices). */
export interface FanOutAcceptance {
  /** The bundle's matter version (its slots order the files received for it). */
  matter: AcceptanceMatter;
  acceptedAt: Date;
  acceptedBy: string | null;
  mode: AcceptanceMode;
  now: Date;
  /** Who the parts' acceptance notices name as receiving officer (no officer for a deemed acceptance). */
  officer: string;
}

/** One department's part of an accepted bundle, with the acceptance notice recorded for it. */
export interface JointWindowPart {
  caseNumber: string;
  applicationId: string;
  matterCode: string;
  matterName: string;
  departmentCode: string;
  promisedWorkingDays: number;
  promisedCompletionDate: string;
  noticeId: string;
}

/** The parts as the bundle's combined acceptance notice lists them (the applicant's one notice for the whole). */
export function partsOnNotice(parts: readonly JointWindowPart[]) {
  return parts.map((p) => ({ caseNumber: p.caseNumber, matterName: p.matterName, promisedWorkingDays: p.promisedWorkingDays, promisedCompletionDate: p.promisedCompletionDate }));
}

/**
 * The joint window (联合受理, seed 003: "由投资项目联合受理窗口负责集中受理投资项目申请 ... 有关部门收到网上联审通知后,
 * 应及时审查并出具明确的审批意见"): one application with one combined form for a bundle matter is accepted whole, and on
 * acceptance fans out into one application per department's matter (`bundle` of the matter version), each with its own
 * case number, accepted at the same moment and published as accepted, so their cases run in parallel. The bundle
 * application itself starts no case: its progress combines its parts', and its result is theirs together.
 */
@Injectable()
export class JointWindow {
  constructor(
    private readonly matters: MatterLookup,
    private readonly applications: ApplicationsRepository,
    private readonly caseNumbers: CaseNumbersRepository,
    private readonly calendar: WorkingCalendar,
    private readonly notices: AcceptanceNotices,
  ) {}

  /** The matters a bundle fans out to, in force; refused when one is not (the window cannot accept it whole). */
  async parts(bundle: AcceptanceMatter): Promise<AcceptanceMatter[]> {
    const parts: AcceptanceMatter[] = [];
    for (const code of bundle.bundle) {
      const part = await this.matters.inForce(code);
      if (!part) throw IntakeErrors.error('UnknownMatter', `The joint-window matter ${bundle.code} includes ${code}, which is not in force: the application cannot be accepted whole.`);
      parts.push(part);
    }
    return parts;
  }

  /**
   * Creates and publishes the parts of an accepted bundle application, in the accepting transaction, each with the
   * acceptance notice of its own department (受理通知书 under the part's case number and seal), recorded in the same
   * transaction: the caller completes them after the commit. Returns the parts for the combined notice.
   */
  async fanOut(manager: EntityManager, bundle: Application, parts: readonly AcceptanceMatter[], how: FanOutAcceptance): Promise<JointWindowPart[]> {
    const { acceptedAt, acceptedBy, mode, now } = how;
    const out: JointWindowPart[] = [];
    // The files were received for the bundle (one combined submission): every part's 收件清单 lists them.
    const materials = await this.notices.materialsOf(bundle, how.matter, { declared: bundle.materials, deferred: [] });
    for (const part of parts) {
      const caseNumber = await this.caseNumbers.next(manager, part.tenantId, now);
      const promisedDeadline = this.calendar.deadline(acceptedAt, part.promisedWorkingDays);
      const child = Object.assign(new Application(), {
        id: randomUUID(),
        caseNumber,
        matterCode: part.code,
        matterVersion: part.version,
        tenantId: part.tenantId,
        departmentCode: part.departmentCode,
        applicantKind: bundle.applicantKind,
        applicantId: bundle.applicantId,
        applicantName: bundle.applicantName,
        form: bundle.form,
        status: 'accepted',
        channel: bundle.channel,
        registeredBy: bundle.registeredBy,
        receivedAt: bundle.receivedAt,
        acceptanceDueAt: null,
        acceptedAt,
        acceptanceMode: mode,
        acceptedBy,
        timeLimitWorkingDays: part.promisedWorkingDays,
        promisedDeadline,
        correctionDeadline: null,
        materials: bundle.materials,
        deferredMaterials: [],
        deferredDeadline: null,
        materialsFrozenAt: now,
        withdrawalRequestedAt: null,
        withdrawalReason: null,
        closedAt: null,
        bundleId: bundle.id,
      } satisfies Omit<Application, 'version' | 'matter' | 'bundle'>);
      await this.applications.insert(manager, child);
      const data = { ...acceptedData(child, part, acceptedAt, acceptedBy, mode, promisedDeadline), jointWindow: { caseNumber: bundle.caseNumber, applicationId: bundle.id, matterCode: bundle.matterCode } };
      await emitEvent(manager, child, mode === 'deemed' ? 'gov.intake.application.deemed-accepted' : 'gov.intake.application.accepted', data);
      await freezeEvent(manager, child, now);
      const promisedCompletionDate = this.notices.date(promisedDeadline);
      const noticeId = await this.notices.record(manager, 'acceptance', {
        ...this.notices.base(child, part),
        receivedAt: bundle.receivedAt.toISOString(),
        acceptedAt: acceptedAt.toISOString(),
        officer: how.officer,
        materials,
        promisedWorkingDays: part.promisedWorkingDays,
        promisedCompletionDate,
        deemed: mode === 'deemed',
        jointWindowOf: { caseNumber: bundle.caseNumber, matterName: how.matter.name },
      });
      await this.applications.record(manager, child.id, { action: 'accepted', notice: 'acceptance', actor: acceptedBy, at: now, data: { ...data, form: undefined, materials: child.materials, noticeId } });
      out.push({ caseNumber, applicationId: child.id, matterCode: part.code, matterName: part.name, departmentCode: part.departmentCode, promisedWorkingDays: part.promisedWorkingDays, promisedCompletionDate, noticeId });
    }
    return out;
  }
}
