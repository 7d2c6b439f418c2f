import { WorkingCalendar } from '@gov/calendar';
import { LOGGER, Periodic, PeriodicService } from '@gov/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AWAITING_DECISION } from '../applications/application.entity';
import { ApplicationsRepository } from '../applications/applications.repository';
import { MatterLookup } from '../applications/matter-lookup';
import { Clock } from '../clock/clock';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { NO_OFFICER, AcceptanceNotices } from './acceptance-notices';
import { AcceptanceService } from './acceptance.service';
import { JointWindow, partsOnNotice } from './joint-window';
import { CORRECTION_LAPSED_REASON, DEFAULT_REMEDIES } from './remedies';

const BATCH = 100;

export interface SweepResult {
  deemedAccepted: string[];
  correctionLapsed: string[];
  terminated: string[];
}

/**
 * The acceptance regime's clock-driven steps, automatic and recorded with no officer:
 * - deemed acceptance: the window stayed silent for its period (5 working days) → accepted as of the day of receipt
 *   (seed 001 text 10);
 * - correction deadline passed → not accepted (seed 001 text 3 art. 10 (3));
 * - 容缺 commitment not kept by its deadline → the case ends.
 * State lives in the database (due dates on the application), so a restart loses nothing; each batch locks its rows
 * with SKIP LOCKED and re-checks the status under the lock, so two replicas never act on the same application twice.
 */
@Injectable()
export class AcceptanceSweeper extends PeriodicService {
  protected readonly periodic: Periodic;

  constructor(
    private readonly ds: DataSource,
    private readonly applications: ApplicationsRepository,
    private readonly matters: MatterLookup,
    private readonly acceptance: AcceptanceService,
    private readonly joint: JointWindow,
    private readonly notices: AcceptanceNotices,
    private readonly calendar: WorkingCalendar,
    private readonly clock: Clock,
    @Inject(INTAKE_CONFIG) config: IntakeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
    this.periodic = new Periodic(
      config.INTAKE_SWEEP_INTERVAL_MS,
      async () => {
        const r = await this.sweep();
        const n = r.deemedAccepted.length + r.correctionLapsed.length + r.terminated.length;
        if (n > 0) this.logger.info({ ...r }, 'acceptance sweep');
      },
      (e) => this.logger.error({ err: e }, 'acceptance sweep failed; trying again next round'),
    );
  }


  /** One round: every due application, in batches. Returns the case numbers acted on. */
  async sweep(): Promise<SweepResult> {
    const result: SweepResult = { deemedAccepted: [], correctionLapsed: [], terminated: [] };
    while ((await this.deemBatch(result.deemedAccepted)) === BATCH);
    while ((await this.lapseBatch(result.correctionLapsed)) === BATCH);
    while ((await this.terminateBatch(result.terminated)) === BATCH);
    return result;
  }

  /** Runs one batch's transaction, then completes (renders, seals) the notices it recorded, after the commit. */
  private async withNotices(batch: (noticeIds: string[]) => Promise<number>): Promise<number> {
    const noticeIds: string[] = [];
    const n = await batch(noticeIds);
    await this.notices.complete(noticeIds);
    return n;
  }

  private deemBatch(out: string[]): Promise<number> {
    return this.withNotices((noticeIds) => this.ds.transaction(async (manager) => {
      noticeIds.length = 0;
      const now = this.clock.now();
      const due = await this.applications.lockDue(manager, AWAITING_DECISION, 'acceptance_due_at', now, BATCH);
      for (const app of due) {
        const matter = await this.matters.version(app.matterCode, app.matterVersion);
        if (!matter) throw new Error(`matter ${app.matterCode} of ${app.caseNumber} is gone`);
        // Accepted as of the day the (corrected) materials were received.
        const acceptedAt = app.status === 'corrected' ? ((await this.applications.lastCorrectedAt(manager, app.id)) ?? app.receivedAt) : app.receivedAt;
        const promisedDeadline = this.calendar.deadline(acceptedAt, app.timeLimitWorkingDays);
        await this.applications.update(manager, app.id, { status: 'accepted', acceptanceMode: 'deemed', acceptedAt, acceptedBy: null, promisedDeadline, acceptanceDueAt: null });
        const data = this.acceptance.acceptedData(app, matter, acceptedAt, null, 'deemed', promisedDeadline);
        // A joint-window bundle fans out into its departments' parts, each deemed accepted; it starts no case itself.
        const parts = matter.bundle.length > 0 ? await this.joint.fanOut(manager, app, await this.joint.parts(matter), { matter, acceptedAt, acceptedBy: null, mode: 'deemed', now, officer: NO_OFFICER }) : null;
        if (parts) noticeIds.push(...parts.map((p) => p.noticeId));
        else await this.acceptance.emit(manager, app, 'gov.intake.application.deemed-accepted', data);
        await this.acceptance.freeze(manager, app, now);
        // 逾期不告知的，自收到申请材料之日起即为受理 (seed 001 text 10): the notice says so, signed by no officer.
        const noticeId = await this.notices.record(manager, 'acceptance', {
          ...this.notices.base(app, matter),
          receivedAt: app.receivedAt.toISOString(),
          acceptedAt: acceptedAt.toISOString(),
          officer: NO_OFFICER,
          materials: await this.notices.materialsOf(app, matter),
          promisedWorkingDays: app.timeLimitWorkingDays,
          promisedCompletionDate: this.notices.date(promisedDeadline),
          deemed: true,
          ...(parts ? { jointWindow: partsOnNotice(parts) } : {}),
        });
        noticeIds.push(noticeId);
        await this.applications.record(manager, app.id, {
          action: 'deemed-accepted',
          notice: 'acceptance',
          actor: null,
          at: now,
          data: { ...data, form: undefined, materials: app.materials, windowDeadline: app.acceptanceDueAt?.toISOString() ?? null, basis: 'seed 001 text 10: 逾期不告知的，自收到申请材料之日起即为受理', noticeId },
        });
        out.push(app.caseNumber);
      }
      return due.length;
    }));
  }

  private lapseBatch(out: string[]): Promise<number> {
    return this.withNotices((noticeIds) => this.ds.transaction(async (manager) => {
      noticeIds.length = 0;
      const now = this.clock.now();
      const due = await this.applications.lockDue(manager, ['correction-requested'], 'correction_deadline', now, BATCH);
      for (const app of due) {
        await this.applications.update(manager, app.id, { status: 'refused', closedAt: now });
        const data = {
          caseNumber: app.caseNumber,
          applicationId: app.id,
          matterCode: app.matterCode,
          departmentCode: app.departmentCode,
          tenantId: app.tenantId,
          grounds: 'correction-not-made' as const,
          reason: CORRECTION_LAPSED_REASON,
          remedies: DEFAULT_REMEDIES,
          refusedBy: null,
          refusedAt: now.toISOString(),
        };
        await this.acceptance.emit(manager, app, 'gov.intake.application.refused', data);
        const matter = await this.matters.version(app.matterCode, app.matterVersion);
        const noticeId = await this.notices.record(manager, 'refusal', {
          ...this.notices.base(app, { code: app.matterCode, name: matter?.name ?? app.matterCode }),
          receivedAt: app.receivedAt.toISOString(),
          refusedAt: now.toISOString(),
          officer: NO_OFFICER,
          reasons: [CORRECTION_LAPSED_REASON],
          ...this.notices.remediesOf(app),
        });
        noticeIds.push(noticeId);
        await this.applications.record(manager, app.id, { action: 'correction-lapsed', notice: 'refusal', actor: null, at: now, data: { ...data, correctionDeadline: app.correctionDeadline?.toISOString() ?? null, noticeId } });
        out.push(app.caseNumber);
      }
      return due.length;
    }));
  }

  private terminateBatch(out: string[]): Promise<number> {
    return this.ds.transaction(async (manager) => {
      const now = this.clock.now();
      const due = await this.applications.lockDue(manager, ['accepted-with-missing'], 'deferred_deadline', now, BATCH);
      for (const app of due) {
        await this.applications.update(manager, app.id, { status: 'terminated', closedAt: now });
        const reason = `容缺受理的材料未在承诺期限内补齐：${app.deferredMaterials.map((m) => m.name).join('、')}。`;
        const data = { caseNumber: app.caseNumber, applicationId: app.id, matterCode: app.matterCode, departmentCode: app.departmentCode, tenantId: app.tenantId, reason, missing: app.deferredMaterials, terminatedAt: now.toISOString() };
        await this.acceptance.emit(manager, app, 'gov.intake.application.terminated', data);
        await this.applications.record(manager, app.id, { action: 'terminated', notice: 'termination', actor: null, at: now, data: { ...data, deferredDeadline: app.deferredDeadline?.toISOString() ?? null } });
        out.push(app.caseNumber);
      }
      return due.length;
    });
  }
}
