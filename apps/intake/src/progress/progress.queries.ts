import { WorkingCalendar } from '@gov/calendar';
import { OrgScope, type Principal } from '@gov/auth';
import { Injectable } from '@nestjs/common';
import type { ApplicationRef } from '../applications/application-ref';
import type { Application } from '../applications/application.entity';
import { ApplicationsRepository } from '../applications/applications.repository';
import { Clock } from '../clock/clock';
import { IntakeErrors } from '../errors';
import type { ProgressDto, ResultDto } from './progress.dto';
import { ProgressRepository, type ProgressSource } from './progress.repository';

/** Progress of one application: intake's own state and history, with the read model approval's events feed. */
@Injectable()
export class ProgressQueries {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly progress: ProgressRepository,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
  ) {}

  /**
   * The application, if the caller may see it: the applicant their own, officers their organisation's, and for a
   * joint window (联合受理) the departments it shares with: a bundle with its parts' departments, a part with the
   * bundle's (lead) department.
   */
  private async visible(ref: ApplicationRef, principal: Principal): Promise<{ app: Application; parts: Application[]; bundle: Application | null }> {
    const app = ref.by === 'id' ? await this.applications.findById(ref.id) : await this.applications.findByCaseNumber(ref.caseNumber);
    if (!app) throw IntakeErrors.error('ApplicationNotFound', `No application ${ref.by === 'id' ? ref.id : ref.caseNumber}.`);
    // One round trip for both (they are independent): the parts of a bundle, and the bundle of a part.
    const [parts, bundle] = await Promise.all([this.applications.parts(app.id), app.bundleId ? this.applications.findById(app.bundleId) : null]);
    const sharedWith = [...parts.map((p) => p.departmentCode), ...(bundle ? [bundle.departmentCode] : [])];
    OrgScope.assertCanActOn(principal, { orgCode: app.departmentCode, applicantId: app.applicantId, sharedWith });
    return { app, parts, bundle };
  }

  /**
   * The progress view, read in one statement (the application, its parts or its bundle, their progress rows and
   * notices: ProgressRepository.view), checked as `visible` checks.
   */
  async get(ref: ApplicationRef, principal: Principal): Promise<ProgressDto> {
    const view = await this.progress.view(ref);
    if (!view) throw IntakeErrors.error('ApplicationNotFound', `No application ${ref.by === 'id' ? ref.id : ref.caseNumber}.`);
    const { app, parts, bundle } = view;
    const sharedWith = [...parts.map((p) => p.departmentCode), ...(bundle ? [bundle.departmentCode] : [])];
    OrgScope.assertCanActOn(principal, { orgCode: app.departmentCode, applicantId: app.applicantId, sharedWith });
    // A part names its bundle, and the parts name this application.
    const own = this.of(app, bundle?.caseNumber ?? null);
    const views = parts.map((p) => this.of(p, app.caseNumber));
    if (parts.length === 0) return own;
    // A joint-window application: one combined view, one result when every department has decided.
    const results = views.map((v) => v.result);
    let result = own.result;
    if (!result && results.every((r) => r !== null)) {
      const outcomes = new Set(results.map((r) => r?.outcome));
      result = { outcome: outcomes.size === 1 ? [...outcomes][0] ?? 'mixed' : 'mixed', documentNumber: null, at: results.map((r) => r?.at ?? '').sort().at(-1) ?? new Date().toISOString() };
    }
    return { ...own, result, parts: views, documents: [...own.documents, ...views.flatMap((v) => v.documents.filter((d) => d.documentNumber !== null))] };
  }

  private of(app: ProgressSource, bundleCase: string | null): ProgressDto {
    const p = app.progress;
    const suspensions = p?.suspensions ?? [];
    let result: ResultDto | null = p?.result ?? null;
    if (!result && (app.status === 'refused' || app.status === 'withdrawn' || app.status === 'terminated') && app.closedAt) {
      result = { outcome: app.status, documentNumber: null, at: app.closedAt.toISOString() };
    }
    let workingDays: ProgressDto['workingDays'] = null;
    if (app.acceptedAt) {
      const periods = suspensions.map((s) => ({ from: new Date(s.from), to: s.to ? new Date(s.to) : this.clock.now() }));
      const until = result ? new Date(result.at) : this.clock.now();
      const used = this.calendar.workingDaysBetween(app.acceptedAt, until, periods);
      workingDays = {
        limit: app.timeLimitWorkingDays,
        used,
        left: Math.max(0, app.timeLimitWorkingDays - used),
        deadline: this.calendar.deadline(app.acceptedAt, app.timeLimitWorkingDays, periods).toISOString(),
      };
    }
    const notices = app.notices.map((h) => ({ kind: h.kind, documentNumber: null, issuedAt: h.at.toISOString() }));
    return {
      caseNumber: app.caseNumber,
      status: app.status,
      departmentCode: app.departmentCode,
      receivedAt: app.receivedAt.toISOString(),
      acceptedAt: app.acceptedAt?.toISOString() ?? null,
      acceptanceMode: app.acceptanceMode,
      acceptanceDueAt: app.acceptanceDueAt?.toISOString() ?? null,
      correctionDeadline: app.correctionDeadline?.toISOString() ?? null,
      currentStep:
        p?.currentStep && p.stepOpenedAt
          ? { step: p.currentStep, name: p.currentStepName, groups: p.currentGroups, openedAt: p.stepOpenedAt.toISOString(), limitWorkingDays: p.stepLimitWorkingDays, light: p.light }
          : null,
      workingDays,
      suspensions,
      documents: [...notices, ...(p?.documents ?? [])],
      result,
      withdrawalRequestedAt: app.withdrawalRequestedAt?.toISOString() ?? null,
      jointWindowOf: bundleCase,
      parts: [],
    };
  }

  /** The acceptance history with each notice's data (for the notices module and the applicant). */
  async history(ref: ApplicationRef, principal: Principal) {
    const { app } = await this.visible(ref, principal);
    const rows = await this.applications.history(app.id);
    return { caseNumber: app.caseNumber, items: rows.map((h) => ({ action: h.action, notice: h.notice, actor: h.actor, at: h.at.toISOString(), data: h.data })) };
  }
}
