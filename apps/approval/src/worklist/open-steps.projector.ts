import { type StepEvent, type StepResumedData, type StepSuspendedData } from '@gov/contracts';
import { type Suspension, WorkingCalendar } from '@gov/calendar';
import { LOGGER } from '@gov/service-kit';
import { CamundaAdminClient, type Task } from '@gov/workflow';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import { orgsOfGroups } from './candidate-groups';
import { JointReviewsRepository } from './joint-reviews.repository';
import { Clock } from './clock';
import { type OpenStepRow, OpenStepsRepository } from './open-steps.repository';

export const WORKLIST_ENGINE = Symbol('WORKLIST_ENGINE');
const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * A user task's time limit in a BPMN model: its `timeLimitWorkingDays` extension property, and the name of the
 * variable that overrides it (`timeLimitVariable`), as the engine plugin reads them.
 */
export function timeLimitOf(xml: string, taskKey: string): { days: number | null; variable: string | null } {
  for (const m of xml.matchAll(/<((?:[A-Za-z0-9_]+:)?)userTask\b([^>]*?)(\/>|>([\s\S]*?)<\/\1userTask>)/g)) {
    if (/\sid="([^"]+)"/.exec(m[2] ?? '')?.[1] !== taskKey) continue;
    const days = /name="timeLimitWorkingDays"\s+value="(\d+(?:\.\d+)?)"/.exec(m[4] ?? '')?.[1];
    const variable = /name="timeLimitVariable"\s+value="([^"]+)"/.exec(m[4] ?? '')?.[1];
    return { days: days === undefined ? null : Number(days), variable: variable ?? null };
  }
  return { days: null, variable: null };
}

/** The case a step belongs to; `called` when the step is in an instance the case's flow called. */
interface StepCase {
  caseNumber: string;
  matterCode: string;
  matterName: string;
  departmentCode: string;
  coDepartmentCodes?: string[];
  called?: boolean;
}

/**
 * The organisation a step is the work of: a co-review step of a joint review (并联审批) is the co-reviewing department
 * its candidate groups name; a step of a flow the case called in another tenant (上报件: the city's review) is the
 * department its groups name; any other step of a case is the case's handling department.
 */
export function stepOrganisation(kase: StepCase | undefined, groups: readonly string[], calledElsewhere: boolean): string | null {
  const named = orgsOfGroups(groups);
  const co = kase?.coDepartmentCodes?.find((d) => named.includes(d));
  if (co) return co;
  return (kase && !calledElsewhere ? kase.departmentCode : undefined) ?? named[0] ?? kase?.departmentCode ?? null;
}

export interface ReconcileReport {
  seen: number;
  added: number;
  reassigned: number;
  removed: number;
}

/**
 * Keeps the open-steps read model (`open_steps`): step events (opened, completed, cancelled) and the case's clock
 * suspensions and resumptions, each applied in the consumer's inbox transaction; and a reconciliation against the
 * engine's task list (in pages) for steps whose events this database never saw (opened before the read model
 * existed, or an assignee changed by another path).
 *
 * Deadlines: opened + limit working days on @gov/calendar (the rule supervision uses: the opening day does not
 * count, the deadline is the end of the last counted day; seed 001 text 3 art. 22), whole working days of ended
 * suspensions excluded. While a suspension is open the step's light stands still; on resumption the deadline is
 * computed again with the suspension excluded, so it moves by the suspended working time.
 */
@Injectable()
export class OpenStepsProjector implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly calendar = new WorkingCalendar();
  private readonly limits = new Map<string, Promise<string>>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<ReconcileReport>;

  constructor(
    private readonly steps: OpenStepsRepository,
    @Inject(WORKLIST_ENGINE) private readonly engine: CamundaAdminClient,
    @Inject(APPROVAL_CONFIG) private readonly config: ApprovalConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly jointReviews: JointReviewsRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.WORKLIST_RECONCILE) return;
    const round = (): void => {
      this.reconcile().catch((e: unknown) => this.logger.warn({ err: e }, 'reconciling the worklist with the engine failed; the next round retries'));
    };
    // Not awaited: the service starts while the engine may be down; the worklist serves what it holds.
    round();
    if (this.config.WORKLIST_RECONCILE_INTERVAL_MS > 0) {
      this.timer = setInterval(round, this.config.WORKLIST_RECONCILE_INTERVAL_MS);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private get yellowMs(): number {
    return this.config.WORKLIST_YELLOW_HOURS * HOUR_MS;
  }

  /** The step's clock from its opening, limit and the case's suspensions. */
  clockOf(openedAt: Date, limit: number | null, suspensions: { suspendedAt: Date; resumedAt: Date | null }[]): Pick<OpenStepRow, 'deadline' | 'yellowAt' | 'suspendedAt'> {
    const ended: Suspension[] = suspensions.filter((s) => s.resumedAt !== null && s.resumedAt > openedAt).map((s) => ({ from: s.suspendedAt, to: s.resumedAt as Date }));
    const open = suspensions.find((s) => s.resumedAt === null);
    const suspendedAt = open ? new Date(Math.max(open.suspendedAt.getTime(), openedAt.getTime())) : null;
    if (limit === null) return { deadline: null, yellowAt: null, suspendedAt };
    const deadline = this.calendar.deadline(openedAt, Math.ceil(limit), ended);
    return { deadline, yellowAt: new Date(deadline.getTime() - this.yellowMs), suspendedAt };
  }

  /** Working days left until the deadline as of `at` (negative once overdue: working days since it passed). */
  remainingWorkingDays(deadline: Date, at: Date): number {
    return deadline >= at ? this.calendar.workingDaysBetween(at, deadline) : -Math.max(1, this.calendar.workingDaysBetween(deadline, at));
  }

  async opened(m: EntityManager, e: StepEvent): Promise<void> {
    const kase = await this.steps.caseOf(m, e.businessKey, e.processInstanceId);
    const caseNumber = kase?.caseNumber ?? e.businessKey;
    const openedAt = new Date(e.openedAt);
    const suspensions = caseNumber ? await this.steps.suspensionsOf(m, caseNumber) : [];
    const organisation = stepOrganisation(kase, e.candidateGroups, Boolean(kase && e.tenantId && e.tenantId !== kase.tenantId));
    await this.steps.upsert(m, {
      taskId: e.taskId,
      caseNumber,
      processInstanceId: e.processInstanceId,
      processDefinitionId: e.processDefinitionId,
      stepKey: e.taskDefinitionKey,
      stepName: e.name,
      candidateGroups: e.candidateGroups,
      assignee: e.assignee,
      openedAt,
      timeLimitWorkingDays: e.timeLimitWorkingDays === null ? null : Math.ceil(e.timeLimitWorkingDays),
      ...this.clockOf(openedAt, e.timeLimitWorkingDays, suspensions),
      matterCode: kase?.matterCode ?? null,
      matterName: kase?.matterName ?? null,
      organisation,
      tenantId: e.tenantId,
    });
    // A co-review step of a joint review asks its department for an opinion (announced once per step).
    if (kase && caseNumber && organisation && kase.coDepartmentCodes.includes(organisation)) {
      await this.jointReviews.requested(m, { taskId: e.taskId, caseNumber, tenantId: kase.tenantId, departmentCode: organisation, at: openedAt });
    }
  }

  async closed(m: EntityManager, e: StepEvent): Promise<void> {
    await this.steps.close(m, e.taskId, e.completedAt ? new Date(e.completedAt) : this.clock.now());
  }

  async suspended(m: EntityManager, e: StepSuspendedData): Promise<void> {
    await this.steps.suspendCase(m, e.caseNumber, new Date(e.suspendedAt));
  }

  /** The suspension ended (its `resumed_at` committed with the event): every open step's deadline moves. */
  async resumed(m: EntityManager, e: StepResumedData): Promise<void> {
    await this.recomputeCase(m, e.caseNumber);
  }

  async recomputeCase(m: EntityManager, caseNumber: string): Promise<void> {
    const suspensions = await this.steps.suspensionsOf(m, caseNumber);
    for (const s of await this.steps.forCase(m, caseNumber)) {
      const c = this.clockOf(s.openedAt, s.timeLimitWorkingDays, suspensions);
      await this.steps.setClock(m, s.taskId, c.deadline, c.yellowAt, c.suspendedAt);
    }
  }

  /**
   * Catch-up: pages through the engine's open tasks (oldest first) and adds the steps the read model lacks (not
   * tombstoned), corrects assignees changed by another path, and removes rows the engine no longer has (each
   * checked on the engine by id, since paging a changing list can skip a task). One round at a time.
   */
  reconcile(pageSize = 500): Promise<ReconcileReport> {
    this.running ??= this.reconcileRound(pageSize).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async reconcileRound(pageSize: number): Promise<ReconcileReport> {
    // Rows confirmed before this instant and not seen on the engine by this round are checked one by one.
    const started = new Date();
    const report: ReconcileReport = { seen: 0, added: 0, reassigned: 0, removed: 0 };
    await this.steps.applyYellowWindow(this.config.WORKLIST_YELLOW_HOURS);
    for (let first = 0; ; first += pageSize) {
      const tasks = await this.engine.tasks({}, { firstResult: first, maxResults: pageSize });
      if (tasks.length === 0) break;
      report.seen += tasks.length;
      const known = await this.steps.known(tasks.map((t) => t.id));
      const cases = await this.casesOfInstances([...new Set(tasks.map((t) => t.processInstanceId))]);
      for (const t of tasks) {
        if (known.closed.has(t.id)) continue;
        if (!known.open.has(t.id)) {
          if (await this.addFromEngine(t, cases.get(t.processInstanceId))) report.added++;
        } else if (known.open.get(t.id) !== t.assignee) {
          await this.steps.setAssignee(t.id, t.assignee);
          report.reassigned++;
        }
      }
      await this.steps.touch(tasks.filter((t) => known.open.has(t.id)).map((t) => t.id));
      if (tasks.length < pageSize) break;
    }
    for (const taskId of await this.steps.unconfirmedSince(started, 1000)) {
      const [still] = await this.engine.tasks({ taskId }, { maxResults: 1 });
      if (still) {
        await this.steps.touch([taskId]);
        continue;
      }
      await this.steps.transaction((m) => this.steps.close(m, taskId, this.clock.now()));
      report.removed++;
    }
    await this.steps.fillFromCases();
    await this.steps.pruneTombstones(new Date(this.clock.now().getTime() - 30 * DAY_MS));
    this.logger.info(report, 'worklist reconciled with the engine');
    return report;
  }

  /**
   * Brings one open step's row up to date from the engine now (a step an action opened and claimed at once, as a
   * take-back: its opening event may be applied before or after, and an opening keeps a recorded claim).
   */
  async project(taskId: string): Promise<void> {
    const [t] = await this.engine.tasks({ taskId }, { maxResults: 1 });
    if (!t) return;
    const known = await this.steps.known([t.id]);
    if (known.closed.has(t.id)) return;
    if (known.open.has(t.id)) {
      if (known.open.get(t.id) !== t.assignee) await this.steps.setAssignee(t.id, t.assignee);
      return;
    }
    await this.addFromEngine(t, (await this.casesOfInstances([t.processInstanceId])).get(t.processInstanceId));
  }

  /**
   * The cases of process instances: their own, or, for an instance a case's flow called (上报件: the city's review,
   * a child instance), its root's, found in one history query for every instance no case names.
   */
  private async casesOfInstances(processInstanceIds: string[]): Promise<Map<string, StepCase>> {
    const cases: Map<string, StepCase> = await this.steps.casesOf(processInstanceIds);
    const unknown = processInstanceIds.filter((id) => !cases.has(id));
    if (unknown.length === 0) return cases;
    const called = (await this.engine.historicProcessInstancesByIds(unknown)).filter((h) => h.rootProcessInstanceId && h.rootProcessInstanceId !== h.id);
    if (called.length === 0) return cases;
    const roots = await this.steps.casesOf([...new Set(called.map((h) => h.rootProcessInstanceId as string))]);
    for (const h of called) {
      const c = roots.get(h.rootProcessInstanceId as string);
      if (c) cases.set(h.id, { ...c, called: true });
    }
    return cases;
  }

  private async addFromEngine(t: Task, kase: StepCase | undefined): Promise<boolean> {
    const groups = await this.engine.candidateGroupsOf(t.id);
    const model = timeLimitOf(await this.definitionXml(t.processDefinitionId), t.taskDefinitionKey);
    const override = model.variable ? await this.engine.variable(t.processInstanceId, model.variable).catch(() => undefined) : undefined;
    // As the engine plugin: the variable when it is a positive whole number, else the model's default.
    const limit = typeof override === 'number' && Number.isInteger(override) && override > 0 ? override : model.days;
    const openedAt = new Date(t.created);
    return this.steps.transaction(async (m) => {
      const suspensions = kase ? await this.steps.suspensionsOf(m, kase.caseNumber) : [];
      const organisation = stepOrganisation(kase, groups, Boolean(kase?.called));
      const added = await this.steps.upsert(m, {
        taskId: t.id,
        caseNumber: kase?.caseNumber ?? null,
        processInstanceId: t.processInstanceId,
        processDefinitionId: t.processDefinitionId,
        stepKey: t.taskDefinitionKey,
        stepName: t.name,
        candidateGroups: groups,
        assignee: t.assignee,
        openedAt,
        timeLimitWorkingDays: limit === null ? null : Math.ceil(limit),
        ...this.clockOf(openedAt, limit, suspensions),
        matterCode: kase?.matterCode ?? null,
        matterName: kase?.matterName ?? null,
        organisation,
        tenantId: t.tenantId,
      });
      if (added && kase && organisation && kase.coDepartmentCodes?.includes(organisation)) {
        await this.jointReviews.requested(m, { taskId: t.id, caseNumber: kase.caseNumber, tenantId: t.tenantId ?? null, departmentCode: organisation, at: openedAt });
      }
      return added;
    });
  }

  private definitionXml(id: string): Promise<string> {
    let xml = this.limits.get(id);
    if (!xml) {
      xml = this.engine.processDefinitionXml(id);
      xml.catch(() => this.limits.delete(id));
      this.limits.set(id, xml);
    }
    return xml;
  }
}
