import { WorkingCalendar } from '@gov/calendar';
import { OrgScope, type Principal, Role } from '@gov/auth';
import { type ApplicationAcceptedData, makeEvent } from '@gov/contracts';
import { RequestContext, runIdempotent } from '@gov/service-kit';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { NoticeKind } from '../applications/application-history.entity';
import type { ApplicationRef } from '../applications/application-ref';
import { type AcceptanceMode, AWAITING_DECISION, type Application, type ApplicationStatus, type MaterialEntry, RUNNING } from '../applications/application.entity';
import { ApplicationsRepository } from '../applications/applications.repository';
import { type AcceptanceMatter, MatterLookup } from '../applications/matter-lookup';
import { assertFormMatches } from '../applications/form-schema';
import { receivedMaterials } from '../applications/receive-application.use-case';
import { Clock } from '../clock/clock';
import { MaterialsService } from '../materials/materials.service';
import { IntakeErrors } from '../errors';
import { acceptedData, emitEvent, freezeEvent, refOf } from './acceptance-events';
import { AcceptanceNotices } from './acceptance-notices';
import { BureauRules } from './bureau-rules';
import { JointWindow, partsOnNotice } from './joint-window';
import type { AcceptDto, AcceptWithMissingDto, CorrectDto, DeferredDeliveredDto, RefuseDto, RequestCorrectionDto, TransitionResultDto, WithdrawalRequestDto } from './dtos';
import { DEFAULT_REMEDIES } from './remedies';

const CLOSED: readonly ApplicationStatus[] = ['refused', 'withdrawn', 'terminated', 'decided'];
type Who = 'window' | 'applicant-or-window';

interface Step {
  status?: ApplicationStatus;
  notice: NoticeKind | null;
  action: string;
  data: Record<string, unknown>;
  /** The notice recorded in the step's transaction, completed (rendered, sealed) after the commit. */
  noticeId?: string;
  /** The acceptance notices of a joint window's parts (one per department), completed after the commit too. */
  partNoticeIds?: string[];
}

/** The officer a notice names: the clerk's name as identity gives it. */
function officerOf(principal: Principal): string {
  return (principal.name.trim() || principal.subject).slice(0, 100);
}

/** The end (23:59:59.999 China Standard Time) of a YYYY-MM-DD day. */
export function endOfCstDay(date: string): Date {
  return new Date(`${date}T23:59:59.999+08:00`);
}

/**
 * The window's acceptance decisions and the applicant's answers (seed 001 text 3 art. 10-11, text 10): accept,
 * refuse, one-time correction notice, correction, 容缺 acceptance, withdrawal. Each is one transaction on the locked
 * application: the state change, the history entry holding the notice's data, and the event through the outbox.
 */
@Injectable()
export class AcceptanceService {
  constructor(
    private readonly ds: DataSource,
    private readonly applications: ApplicationsRepository,
    private readonly matters: MatterLookup,
    private readonly rules: BureauRules,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
    private readonly joint: JointWindow,
    private readonly materialsService: MaterialsService,
    private readonly notices: AcceptanceNotices,
  ) {}

  accept(ref: ApplicationRef, body: AcceptDto, key: string, principal: Principal) {
    return this.transition(ref, principal, key, 'accept', body, 'window', async (manager, app, matter, now) => {
      this.expectStatus(app, AWAITING_DECISION, 'accepted');
      const promisedDeadline = this.calendar.deadline(now, app.timeLimitWorkingDays);
      await this.applications.update(manager, app.id, { status: 'accepted', acceptanceMode: 'window', acceptedAt: now, acceptedBy: principal.subject, promisedDeadline, acceptanceDueAt: null });
      const data = this.acceptedData(app, matter, now, principal.subject, 'window', promisedDeadline);
      // A joint-window bundle starts no case of its own: its departments' parts do.
      const parts = matter.bundle.length > 0 ? await this.joint.fanOut(manager, app, await this.joint.parts(matter), { matter, acceptedAt: now, acceptedBy: principal.subject, mode: 'window', now, officer: officerOf(principal) }) : null;
      if (!parts) await this.emit(manager, app, 'gov.intake.application.accepted', data);
      await this.freeze(manager, app, now);
      const noticeId = await this.notices.record(manager, 'acceptance', {
        ...this.notices.base(app, matter),
        receivedAt: app.receivedAt.toISOString(),
        acceptedAt: now.toISOString(),
        officer: officerOf(principal),
        materials: await this.notices.materialsOf(app, matter),
        promisedWorkingDays: app.timeLimitWorkingDays,
        promisedCompletionDate: this.notices.date(promisedDeadline),
        deemed: false,
        ...(parts ? { jointWindow: partsOnNotice(parts) } : {}),
      });
      return {
        status: 'accepted',
        notice: 'acceptance',
        action: 'accepted',
        noticeId,
        partNoticeIds: parts?.map((p) => p.noticeId),
        data: { ...data, form: undefined, materials: app.materials, receivingOfficer: principal.name, note: body.note ?? null, ...(parts ? { jointWindow: parts } : {}) },
      };
    });
  }

  refuse(ref: ApplicationRef, body: RefuseDto, key: string, principal: Principal) {
    return this.transition(ref, principal, key, 'refuse', body, 'window', async (manager, app, matter, now) => {
      this.expectStatus(app, AWAITING_DECISION, 'refused');
      const remedies = body.remedies ?? DEFAULT_REMEDIES;
      await this.applications.update(manager, app.id, { status: 'refused', acceptanceDueAt: null, closedAt: now });
      const data = { ...this.refOf(app), grounds: 'not-eligible' as const, reason: body.reason, remedies, refusedBy: principal.subject, refusedAt: now.toISOString() };
      await this.emit(manager, app, 'gov.intake.application.refused', data);
      const noticeId = await this.notices.record(manager, 'refusal', {
        ...this.notices.base(app, matter),
        receivedAt: app.receivedAt.toISOString(),
        refusedAt: now.toISOString(),
        officer: officerOf(principal),
        reasons: [body.reason],
        ...this.notices.remediesOf(app),
      });
      return { status: 'refused', notice: 'refusal', action: 'refused', noticeId, data };
    });
  }

  requestCorrection(ref: ApplicationRef, body: RequestCorrectionDto, key: string, principal: Principal) {
    return this.transition(ref, principal, key, 'correction-request', body, 'window', async (manager, app, matter, now) => {
      this.expectStatus(app, AWAITING_DECISION, 'sent back for correction');
      body.items.forEach((item, i) => {
        if (item.material !== undefined) receivedMaterials(matter, [item.material], `items[${i}].material`);
      });
      const deadline = this.calendar.deadline(now, this.rules.of(app.tenantId).correctionWorkingDays);
      await this.applications.update(manager, app.id, { status: 'correction-requested', correctionDeadline: deadline, acceptanceDueAt: null });
      const items = body.items.map((i) => ({ material: i.material ?? null, problem: i.problem }));
      const data = { ...this.refOf(app), items, deadline: deadline.toISOString(), requestedBy: principal.subject, requestedAt: now.toISOString() };
      await this.emit(manager, app, 'gov.intake.application.correction-requested', data);
      const materialNames = items.map((i) => (i.material ? (matter.materials.find((m) => m.key === i.material)?.name ?? i.material) : null));
      const noticeId = await this.notices.record(manager, 'correction', {
        ...this.notices.base(app, matter),
        receivedAt: app.receivedAt.toISOString(),
        officer: officerOf(principal),
        items: items.map((i, n) => ({ material: materialNames[n] ?? '申请书及其他材料', problem: i.problem })),
        deadline: this.notices.date(deadline),
        round: (await this.applications.countActions(manager, app.id, 'correction-requested')) + 1,
      });
      return { status: 'correction-requested', notice: 'correction', action: 'correction-requested', noticeId, data: { ...data, materialNames } };
    });
  }

  correct(ref: ApplicationRef, body: CorrectDto, key: string, principal: Principal) {
    return this.transition(ref, principal, key, 'correct', body, 'applicant-or-window', async (manager, app, matter, now) => {
      this.expectStatus(app, ['correction-requested'], 'corrected');
      if (app.correctionDeadline && now > app.correctionDeadline) {
        throw IntakeErrors.error('CorrectionDeadlinePassed', `The correction deadline (${app.correctionDeadline.toISOString()}) has passed: the application is not accepted.`);
      }
      if (body.form) assertFormMatches(matter.code, matter.version, matter.formSchema, body.form);
      const added = receivedMaterials(matter, body.materials);
      const materials: MaterialEntry[] = [...app.materials, ...added.filter((a) => !app.materials.some((m) => m.key === a.key))];
      const acceptanceDueAt = this.calendar.deadline(now, this.rules.of(app.tenantId).acceptanceWindowDays);
      await this.applications.update(manager, app.id, { status: 'corrected', materials, acceptanceDueAt, correctionDeadline: null });
      // jsonb columns confuse TypeORM's deep-partial type.
      if (body.form) await this.applications.update(manager, app.id, { form: body.form as never });
      const data = { ...this.refOf(app), correctedAt: now.toISOString(), acceptanceDueAt: acceptanceDueAt.toISOString(), materials: added };
      await this.emit(manager, app, 'gov.intake.application.corrected', data);
      return { status: 'corrected', notice: null, action: 'corrected', data: { ...data, formChanged: body.form !== undefined } };
    });
  }

  acceptWithMissing(ref: ApplicationRef, body: AcceptWithMissingDto, key: string, principal: Principal) {
    return this.transition(ref, principal, key, 'accept-with-missing', body, 'window', async (manager, app, matter, now) => {
      this.expectStatus(app, AWAITING_DECISION, 'accepted with materials missing');
      if (matter.bundle.length > 0) throw IntakeErrors.error('ApplicationStateConflict', `${app.caseNumber} is a joint-window application: it is accepted whole, for every department at once (accept or ask for a correction).`);
      const missing: MaterialEntry[] = [];
      body.missing.forEach((k, i) => {
        const field = `missing[${i}]`;
        const [entry] = receivedMaterials(matter, [k], field);
        const slot = matter.materials.find((m) => m.key === k);
        if (!slot?.mayBeDeferred) {
          throw IntakeErrors.error('NotDeferrable', `${field}: ${entry.name} (${k}) may not be missing at acceptance: only materials the matter marks as deferrable (容缺) may be promised for later.`, { field });
        }
        if (!missing.some((m) => m.key === k)) missing.push(entry);
      });
      const promisedDeadline = this.calendar.deadline(now, app.timeLimitWorkingDays);
      const deferredDeadline = endOfCstDay(body.deadline);
      if (Number.isNaN(deferredDeadline.getTime()) || deferredDeadline <= now) {
        throw IntakeErrors.error('DeferredDeadlineInvalid', 'deadline must be today or a later day.', { field: 'deadline' });
      }
      if (deferredDeadline > promisedDeadline) {
        throw IntakeErrors.error('DeferredDeadlineInvalid', `deadline must not be later than the promised limit of the matter (${app.timeLimitWorkingDays} working days, ending ${promisedDeadline.toISOString()}).`, { field: 'deadline' });
      }
      await this.applications.update(manager, app.id, {
        status: 'accepted-with-missing',
        acceptanceMode: 'with-missing',
        acceptedAt: now,
        acceptedBy: principal.subject,
        promisedDeadline,
        acceptanceDueAt: null,
        deferredMaterials: missing,
        deferredDeadline,
      });
      const data = {
        ...this.acceptedData(app, matter, now, principal.subject, 'with-missing', promisedDeadline),
        missing,
        deferredDeadline: deferredDeadline.toISOString(),
        commitment: { signedBy: body.commitment.signedBy, signedAt: now.toISOString(), text: body.commitment.text },
      };
      await this.emit(manager, app, 'gov.intake.application.accepted-with-missing', data);
      await this.freeze(manager, app, now);
      const noticeId = await this.notices.record(manager, 'acceptance-with-missing', {
        ...this.notices.base(app, matter),
        receivedAt: app.receivedAt.toISOString(),
        acceptedAt: now.toISOString(),
        officer: officerOf(principal),
        materials: await this.notices.materialsOf(app, matter, { deferred: missing }),
        missing: this.notices.missingOf(matter, missing),
        deadline: body.deadline,
        promisedWorkingDays: app.timeLimitWorkingDays,
        promisedCompletionDate: this.notices.date(promisedDeadline),
        commitmentSignedAt: now.toISOString(),
      });
      return { status: 'accepted-with-missing', notice: 'with-missing', action: 'accepted-with-missing', noticeId, data: { ...data, form: undefined, materials: app.materials, receivingOfficer: principal.name } };
    });
  }

  /**
   * The window confirms deferred (容缺) materials delivered. An upload to an owed slot is only recorded (the materials
   * module stores it frozen); the commitment changes here alone, and only for slots that hold a received file. When
   * none is left owed the commitment is met.
   */
  deferredDelivered(ref: ApplicationRef, body: DeferredDeliveredDto, key: string, principal: Principal) {
    return this.transition(ref, principal, key, 'deferred-delivered', body, 'window', async (manager, app, _matter, now) => {
      this.expectStatus(app, ['accepted-with-missing'], 'given its deferred materials');
      body.materials.forEach((k, i) => {
        if (!app.deferredMaterials.some((m) => m.key === k)) {
          const field = `materials[${i}]`;
          throw IntakeErrors.error('ValidationFailed', `${field}: ${k} is not one of the materials promised for later (${app.deferredMaterials.map((m) => m.key).join(', ')}).`, { field, fields: [{ field, rule: 'isDeferredMaterial', message: `${k} was not deferred` }] });
        }
      });
      const files = await this.materialsService.received(manager, app.id);
      const delivered = app.deferredMaterials.filter((m) => body.materials.includes(m.key));
      const empty = delivered.filter((m) => !files.some((f) => f.slotKey === m.key));
      if (empty.length > 0) {
        throw IntakeErrors.error(
          'DeferredMaterialNotReceived',
          `No file has been received for ${empty.map((m) => `${m.name} (${m.key})`).join(', ')}: upload it (POST /applications/${app.caseNumber}/materials/<slot>) before confirming its delivery; the commitment stays open until ${app.deferredDeadline?.toISOString() ?? 'its deadline'}.`,
          { slots: empty.map((m) => m.key) },
        );
      }
      const left = app.deferredMaterials.filter((m) => !body.materials.includes(m.key));
      const met = left.length === 0;
      await this.applications.update(manager, app.id, { deferredMaterials: left, materials: [...app.materials, ...delivered.filter((d) => !app.materials.some((m) => m.key === d.key))], ...(met ? { status: 'accepted', deferredDeadline: null } : {}) });
      // Supervision's 容缺 rule (a commitment's deadline missed with no action) is met by this, in full once none is left.
      await this.emit(manager, app, 'gov.intake.application.deferred-materials-received', {
        ...this.refOf(app),
        materials: delivered.map((m) => ({ key: m.key, name: m.name })),
        complete: met,
        receivedAt: now.toISOString(),
      });
      const confirmed = files.filter((f) => delivered.some((d) => d.key === f.slotKey)).map((f) => ({ slotKey: f.slotKey, materialId: f.materialId, fileName: f.fileName, sha256: f.sha256 }));
      return { status: met ? 'accepted' : 'accepted-with-missing', notice: null, action: met ? 'commitment-met' : 'deferred-delivered', data: { delivered, files: confirmed, left, confirmedBy: principal.subject, at: now.toISOString() } };
    });
  }

  requestWithdrawal(ref: ApplicationRef, body: WithdrawalRequestDto, key: string, principal: Principal) {
    return this.transition(ref, principal, key, 'withdrawal-request', body, 'applicant-or-window', async (manager, app, _matter, now) => {
      if (CLOSED.includes(app.status)) throw IntakeErrors.error('ApplicationStateConflict', `Application ${app.caseNumber} is ${app.status}: there is nothing left to withdraw.`);
      if (app.withdrawalRequestedAt) throw IntakeErrors.error('ApplicationStateConflict', `A withdrawal of ${app.caseNumber} was already asked for on ${app.withdrawalRequestedAt.toISOString()}; the window decides on it.`);
      await this.applications.update(manager, app.id, { withdrawalRequestedAt: now, withdrawalReason: body.reason });
      return { notice: null, action: 'withdrawal-requested', data: { ...this.refOf(app), reason: body.reason, requestedAt: now.toISOString() } };
    });
  }

  /** The window accepts the withdrawal: the application ends wherever it is; a running case ends with 准予撤回 (art. 11). */
  acceptWithdrawal(ref: ApplicationRef, body: AcceptDto, key: string, principal: Principal) {
    return this.transition(ref, principal, key, 'withdrawal-accept', body, 'window', async (manager, app, matter, now) => {
      if (!app.withdrawalRequestedAt || !app.withdrawalReason) throw IntakeErrors.error('WithdrawalNotRequested', `The applicant has not asked to withdraw ${app.caseNumber}.`);
      if (CLOSED.includes(app.status)) throw IntakeErrors.error('ApplicationStateConflict', `Application ${app.caseNumber} is already ${app.status}.`);
      const wasAccepted = RUNNING.includes(app.status);
      const withdraw = async (a: Application, running: boolean, reason: string, requestedAt: Date) => {
        await this.applications.update(manager, a.id, { status: 'withdrawn', closedAt: now, acceptanceDueAt: null, correctionDeadline: null, deferredDeadline: null });
        const d = { ...this.refOf(a), reason, requestedAt: requestedAt.toISOString(), withdrawnAt: now.toISOString(), acceptedBy: principal.subject, wasAccepted: running };
        await this.emit(manager, a, 'gov.intake.application.withdrawn', d);
        return d;
      };
      const data = await withdraw(app, wasAccepted, app.withdrawalReason, app.withdrawalRequestedAt);
      // A joint-window application withdrawn takes its departments' parts with it.
      for (const part of await this.applications.partsOf(manager, app.id)) {
        if (!CLOSED.includes(part.status)) await withdraw(part, RUNNING.includes(part.status), app.withdrawalReason, app.withdrawalRequestedAt);
      }
      const noticeId = await this.notices.record(manager, 'withdrawal', {
        ...this.notices.base(app, matter),
        requestedAt: app.withdrawalRequestedAt.toISOString(),
        approvedAt: now.toISOString(),
        officer: officerOf(principal),
        reason: app.withdrawalReason,
      });
      return { status: 'withdrawn', notice: 'withdrawal', action: 'withdrawn', noticeId, data: { ...data, note: body.note ?? null } };
    });
  }

  // ---- shared steps ----

  private async transition<B extends object>(
    ref: ApplicationRef,
    principal: Principal,
    idempotencyKey: string,
    op: string,
    body: B,
    who: Who,
    step: (manager: EntityManager, app: Application, matter: AcceptanceMatter, now: Date) => Promise<Step>,
  ): Promise<{ result: TransitionResultDto; replayed: boolean }> {
    const found = ref.by === 'id' ? await this.applications.findById(ref.id) : await this.applications.findByCaseNumber(ref.caseNumber);
    if (!found) throw IntakeErrors.error('ApplicationNotFound', `No application ${ref.by === 'id' ? ref.id : ref.caseNumber}.`);
    this.authorise(found, principal, who);
    RequestContext.setCase(found.caseNumber);
    const matter = await this.matters.version(found.matterCode, found.matterVersion);
    if (!matter) throw IntakeErrors.error('UnknownMatter', `Matter ${found.matterCode} of this application is no longer in the catalogue.`);
    let noticeIds: string[] = [];
    const done = await runIdempotent(this.ds, `applications:${principal.subject}:${op}:${found.id}`, idempotencyKey, body, async (manager) => {
      const app = await this.applications.lock(manager, found.id);
      if (!app) throw IntakeErrors.error('ApplicationNotFound', `No application ${found.caseNumber}.`);
      const now = this.clock.now();
      const s = await step(manager, app, matter, now);
      await this.applications.record(manager, app.id, { action: s.action, notice: s.notice, actor: principal.subject, at: now, data: { ...s.data, ...(s.noticeId ? { noticeId: s.noticeId } : {}) } });
      noticeIds = [...(s.noticeId ? [s.noticeId] : []), ...(s.partNoticeIds ?? [])];
      return { applicationId: app.id, caseNumber: app.caseNumber, status: s.status ?? app.status, notice: { kind: s.notice, ...s.data, ...(s.noticeId ? { noticeId: s.noticeId } : {}) } };
    });
    // After the commit, never inside it, and after the answer: rendering and sealing at identity take a few hundred
    // milliseconds a notice; the window's decision is taken once it is committed (the notice is recorded in its
    // transaction), and the sealer finishes what cannot be done now.
    if (!done.replayed && noticeIds.length > 0) this.notices.completeSoon(noticeIds);
    return done;
  }

  private authorise(app: Application, principal: Principal, who: Who): void {
    if (principal.type === 'applicant') {
      if (who === 'window') throw IntakeErrors.error('InsufficientRole', 'Only the window decides on acceptance and withdrawal.');
      OrgScope.assertCanActOn(principal, { orgCode: app.departmentCode, applicantId: app.applicantId });
      return;
    }
    if (principal.type === 'officer' && !principal.roles.includes(Role.WindowClerk)) throw IntakeErrors.error('InsufficientRole', 'Only a window clerk acts on applications at the window.');
    OrgScope.assertCanActOn(principal, { orgCode: app.departmentCode });
  }

  private expectStatus(app: Application, allowed: readonly ApplicationStatus[], what: string): void {
    if (app.materialsFrozenAt && !allowed.includes(app.status) && RUNNING.includes(app.status)) {
      throw IntakeErrors.error('MaterialsFrozen', `Application ${app.caseNumber} is accepted: its materials are frozen and it cannot be ${what} (seed 001 text 3, art. 11); ask to withdraw it instead.`);
    }
    if (!allowed.includes(app.status)) throw IntakeErrors.error('ApplicationStateConflict', `Application ${app.caseNumber} is ${app.status} and cannot be ${what} (only when ${allowed.join(' or ')}).`);
  }

  private refOf(app: Application) {
    return refOf(app);
  }

  acceptedData(app: Application, matter: AcceptanceMatter, acceptedAt: Date, acceptedBy: string | null, mode: AcceptanceMode, promisedDeadline: Date): ApplicationAcceptedData {
    return acceptedData(app, matter, acceptedAt, acceptedBy, mode, promisedDeadline);
  }

  emit<T extends Parameters<typeof makeEvent>[0]['type']>(manager: EntityManager, app: Application, type: T, data: Parameters<typeof makeEvent<T>>[0]['data']): Promise<void> {
    return emitEvent(manager, app, type, data);
  }

  /** The one freeze (seed 001 text 3 art. 11): the materials module records it on the application, then the event. */
  async freeze(manager: EntityManager, app: Application, at: Date): Promise<void> {
    await this.materialsService.freeze(manager, app.id, at);
    await freezeEvent(manager, app, at);
  }
}
