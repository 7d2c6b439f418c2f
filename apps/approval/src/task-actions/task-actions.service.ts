import { randomUUID } from 'node:crypto';
import { type Principal, Role, type ScopedObject, actingSubject, actorLabel } from '@gov/auth';
import { type CloudEvent, type EventType, makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { KitErrors, RequestContext } from '@gov/service-kit';
import { type ActivityInstance, CamundaAdminClient, CamundaError, type ModificationInstruction, type Task } from '@gov/workflow';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Case } from '../cases/case.entity';
import { CasesRepository } from '../cases/cases.repository';
import { InstanceCases } from '../cases/instance-cases';
import { caseScope } from '../cases/case-scope';
import { onEngine, translateEngineError } from '../engine/engine-errors';
import { ApprovalErrors } from '../errors';
import { candidateGroupsOf, orgsOfGroups } from '../worklist/candidate-groups';
import { Clock } from '../worklist/clock';
import { OpenStepsRepository } from '../worklist/open-steps.repository';
import { OpenStepsProjector } from '../worklist/open-steps.projector';
import { type CaseActionKind, type CaseActionRecord, CaseActionsRepository, requestHash } from './case-actions.repository';
import type { CaseActionsDto, MeetingRequestDto, ReturnStepDto, SuspendCaseDto, TransferStepDto } from './dtos/task-actions.dto';
import { OfficerDirectory } from './officer-directory';

export const TASK_ENGINE = Symbol('TASK_ENGINE');

export interface TaskActionResult {
  caseNumber: string;
  action: CaseActionKind;
  taskId: string | null;
  openedTaskId: string | null;
  step: string | null;
  recordHash: string;
  at: string;
}

type ActionEvent = CloudEvent & { type: EventType };

interface Performed {
  record: Omit<CaseActionRecord, 'createdAt'>;
  /** Events announcing the action (supervision's clocks and rules), written to the outbox in the record's transaction. */
  events?: (at: Date) => ActionEvent[];
  openedTaskId?: string | null;
  /** Database changes that go with the record, in its transaction (closing a suspension). */
  confirm?: (m: EntityManager) => Promise<void>;
}

/** The human steps (user tasks) of a BPMN model, by id. */
export function userTaskIds(xml: string): string[] {
  return [...xml.matchAll(/<(?:[A-Za-z0-9_]+:)?userTask\b[^>]*?\sid="([^"]+)"/g)].map((m) => m[1] ?? '').filter(Boolean);
}

/** The meeting steps of the library's flows: 办公会 (standard review) and 联合会审 (joint review). */
export const MEETING_STEPS = ['LeadershipMeeting', 'JointMeeting'] as const;

/**
 * The human steps the flow can reach straight from `step` when it completes, through gateways and events only (no
 * other human step in between). Flows that exist only to send a returned case back (conditions on `returnedBy`) are
 * not followed: they are the return path, not a way forward.
 */
export function nextHumanSteps(xml: string, step: string): string[] {
  const humans = new Set(userTaskIds(xml));
  const edges = new Map<string, string[]>();
  for (const m of xml.matchAll(/<((?:[A-Za-z0-9_]+:)?)sequenceFlow\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1sequenceFlow>)/g)) {
    const attrs = m[2] ?? '';
    const condition = /conditionExpression\b[^>]*>([\s\S]*?)</.exec(m[3] ?? '')?.[1] ?? '';
    if (condition.includes('returnedBy')) continue;
    const source = /\ssourceRef="([^"]+)"/.exec(attrs)?.[1];
    const target = /\stargetRef="([^"]+)"/.exec(attrs)?.[1];
    if (source && target) edges.set(source, [...(edges.get(source) ?? []), target]);
  }
  const reached = new Set<string>();
  const seen = new Set<string>([step]);
  const queue = [...(edges.get(step) ?? [])];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    if (seen.has(node)) continue;
    seen.add(node);
    if (humans.has(node)) reached.add(node);
    else queue.push(...(edges.get(node) ?? []));
  }
  return [...reached];
}

function findInstance(tree: ActivityInstance, activityId: string, executionId?: string): ActivityInstance | undefined {
  const hits: ActivityInstance[] = [];
  const walk = (n: ActivityInstance): void => {
    if (n.activityId === activityId) hits.push(n);
    n.childActivityInstances.forEach(walk);
  };
  walk(tree);
  if (hits.length <= 1 || !executionId) return hits[0];
  return hits.find((h) => h.executionIds?.includes(executionId));
}

/** A message that matched nothing: the flow has no such path, or the instance is not waiting for it. */
function isUnmatchedMessage(e: unknown): boolean {
  return e instanceof CamundaError && !e.isUnavailable && (e.type === 'MismatchingMessageCorrelationException' || /correlat/i.test(e.message));
}

/**
 * The officers' task actions (issue 9 §2): unclaim, return (回退), take-back (拿回), transfer (转办), and clock
 * suspension (特殊程序). Each is carried out the same way, with no lock or transaction across an engine call:
 * (a) the Idempotency-Key is taken (its own short transaction), (b) the checks read the engine and the engine is
 * changed, (c) the action is appended to the case-actions ledger and the key's answer stored (one transaction). A
 * refused or failed request gives its key back and changes nothing.
 */
@Injectable()
export class TaskActionsService {
  constructor(
    @Inject(TASK_ENGINE) private readonly engine: CamundaAdminClient,
    private readonly cases: CasesRepository,
    private readonly instanceCases: InstanceCases,
    private readonly actions: CaseActionsRepository,
    private readonly directory: OfficerDirectory,
    private readonly openSteps: OpenStepsRepository,
    private readonly projector: OpenStepsProjector,
    // Suspension and resumption times (the worklist's deadlines move by them), so tests can move time forward.
    private readonly clock: Clock,
  ) {}

  unclaim(taskId: string, key: string, p: Principal): Promise<{ result: TaskActionResult; replayed: boolean }> {
    return this.run(`unclaim:${taskId}:${actingSubject(p)}`, key, {}, async () => {
      const { task, c, chief } = await this.stepInScope(taskId, p);
      const me = actingSubject(p);
      if (!task.assignee) throw ApprovalErrors.error('StepNotClaimed', `Step ${taskId} is not claimed by anyone; there is nothing to release.`);
      if (task.assignee !== me && !chief) throw ApprovalErrors.error('StepHeldByOther', `Step ${taskId} is held by ${task.assignee}; only they or their section chief may release it.`);
      // The holder is checked again right before the engine call. The engine's unclaim does not check who holds the
      // task, so a release racing a transfer or a re-claim in the milliseconds between this read and the call still
      // releases the step the other request just gave: the step is back in the group's worklist, nothing is lost.
      await this.assertHolder(taskId, task.assignee);
      await onEngine(this.engine.unclaim(taskId), taskId);
      return {
        record: { caseNumber: c.caseNumber, action: 'unclaim', taskId, step: task.taskDefinitionKey, officerId: me, officerLabel: actorLabel(p), reason: null, details: { releasedFrom: task.assignee } },
        confirm: (m) => this.openSteps.setAssignee(taskId, null, m),
      };
    });
  }

  returnStep(taskId: string, dto: ReturnStepDto, key: string, p: Principal): Promise<{ result: TaskActionResult; replayed: boolean }> {
    return this.run(`return:${taskId}:${actingSubject(p)}`, key, { toStep: dto.toStep, reason: dto.reason }, async () => {
      const { task, c, chief } = await this.stepInScope(taskId, p);
      const me = actingSubject(p);
      if (task.assignee && task.assignee !== me && !chief) throw ApprovalErrors.error('StepHeldByOther', `Step ${taskId} is held by ${task.assignee}; only they or their section chief may return it.`);
      const steps = userTaskIds(await onEngine(this.engine.processDefinitionXml(task.processDefinitionId), taskId));
      if (!steps.includes(dto.toStep)) {
        throw ApprovalErrors.error('ReturnStepUnknown', `${dto.toStep.slice(0, 100)} is not a human step of this case's flow; its steps are: ${steps.join(', ')}.`, { field: 'toStep', steps });
      }
      const history = await onEngine(this.engine.historicTasks({ processInstanceId: task.processInstanceId }), taskId);
      const passed = [...new Set(history.filter((h) => h.endTime && h.deleteReason === 'completed' && h.taskDefinitionKey !== task.taskDefinitionKey).map((h) => h.taskDefinitionKey))];
      if (!passed.includes(dto.toStep)) {
        throw ApprovalErrors.error('ReturnStepNotEarlier', `${dto.toStep} is not a step this case has already passed; it can be returned to: ${passed.join(', ') || 'no step'}.`, { field: 'toStep', earlierSteps: passed });
      }
      // Checked again right before the modification (which does not look at the assignee): a claim or transfer in
      // between is refused here; one in the last milliseconds before the engine call is cancelled with the step.
      await this.assertHolder(taskId, task.assignee);
      const active = findInstance(await onEngine(this.engine.activityInstances(task.processInstanceId), taskId), task.taskDefinitionKey, task.executionId);
      if (!active) throw ApprovalErrors.error('StepChanged', `Step ${taskId} is no longer active in the engine; reload the worklist.`);
      await this.modify(
        task.processInstanceId,
        [
          { type: 'cancel', activityInstanceId: active.id },
          { type: 'startBeforeActivity', activityId: dto.toStep, variables: { returnedBy: { value: task.taskDefinitionKey }, returnReason: { value: dto.reason } } },
        ],
        `return ${task.taskDefinitionKey} → ${dto.toStep} by ${me}`,
        taskId,
      );
      const opened = await this.openedStep(task.processInstanceId, dto.toStep);
      return {
        openedTaskId: opened,
        events: (at) => [
          this.event(c, 'gov.approval.case.returned', { caseNumber: c.caseNumber, stepId: dto.toStep, by: actorLabel(p).slice(0, 200), reason: dto.reason.slice(0, 500), returnedAt: at.toISOString() }, at),
        ],
        record: { caseNumber: c.caseNumber, action: 'return', taskId, step: task.taskDefinitionKey, officerId: me, officerLabel: actorLabel(p), reason: dto.reason, details: { toStep: dto.toStep, openedTaskId: opened } },
      };
    });
  }

  /**
   * Sends the case from this step to the flow's meeting (办公会 / 联合会审) with a reason, where the flow can go from
   * this step to a meeting: the step is cancelled and the meeting step started (one modification), with the variables
   * `meetingRequestedBy` (this step's id) and `meetingReason`. The request is recorded instead of an opinion.
   */
  requestMeeting(taskId: string, dto: MeetingRequestDto, key: string, p: Principal): Promise<{ result: TaskActionResult; replayed: boolean }> {
    return this.run(`joint-meeting:${taskId}:${actingSubject(p)}`, key, { reason: dto.reason }, async () => {
      const { task, c, chief } = await this.stepInScope(taskId, p);
      const me = actingSubject(p);
      if (task.assignee && task.assignee !== me && !chief) throw ApprovalErrors.error('StepHeldByOther', `Step ${taskId} is held by ${task.assignee}; only they or their section chief may send it to a meeting.`);
      const xml = await onEngine(this.engine.processDefinitionXml(task.processDefinitionId), taskId);
      const meeting = nextHumanSteps(xml, task.taskDefinitionKey).find((s): s is (typeof MEETING_STEPS)[number] => (MEETING_STEPS as readonly string[]).includes(s));
      if (!meeting) {
        throw ApprovalErrors.error('NoMeetingFromHere', `In this case's flow, step ${task.taskDefinitionKey} does not lead to a meeting (${MEETING_STEPS.join(' / ')}); complete it or return it instead.`);
      }
      // As for a return: the holder is read again right before the modification, which does not look at it.
      await this.assertHolder(taskId, task.assignee);
      const active = findInstance(await onEngine(this.engine.activityInstances(task.processInstanceId), taskId), task.taskDefinitionKey, task.executionId);
      if (!active) throw ApprovalErrors.error('StepChanged', `Step ${taskId} is no longer active in the engine; reload the worklist.`);
      await this.modify(
        task.processInstanceId,
        [
          { type: 'cancel', activityInstanceId: active.id },
          { type: 'startBeforeActivity', activityId: meeting, variables: { meetingRequestedBy: { value: task.taskDefinitionKey }, meetingReason: { value: dto.reason } } },
        ],
        `meeting requested at ${task.taskDefinitionKey} by ${me}`,
        taskId,
      );
      const opened = await this.openedStep(task.processInstanceId, meeting);
      return {
        openedTaskId: opened,
        record: { caseNumber: c.caseNumber, action: 'joint-meeting', taskId, step: task.taskDefinitionKey, officerId: me, officerLabel: actorLabel(p), reason: dto.reason, details: { meetingStep: meeting, openedTaskId: opened } },
      };
    });
  }

  takeBack(taskId: string, key: string, p: Principal): Promise<{ result: TaskActionResult; replayed: boolean }> {
    return this.run(`take-back:${taskId}:${actingSubject(p)}`, key, {}, async () => {
      const me = actingSubject(p);
      const [done] = await onEngine(this.engine.historicTasks({ taskId }), taskId);
      if (!done) throw ApprovalErrors.error('StepNotFound', `No step ${taskId} exists.`);
      const c = await this.caseOf(done.processInstanceId, taskId);
      if (done.assignee !== me && !p.orgs.includes(c.departmentCode)) throw ApprovalErrors.error('NotYourStep', `Step ${taskId} belongs to a case of another organisation.`);
      if (!done.endTime || done.deleteReason !== 'completed' || done.assignee !== me) {
        const state = !done.endTime ? 'is still open' : done.deleteReason !== 'completed' ? `was cancelled (${done.deleteReason ?? 'no reason'})` : `was completed by ${done.assignee ?? 'nobody'}`;
        throw ApprovalErrors.error('NotYourCompletion', `Step ${taskId} ${state}: only the officer who completed a step can take it back.`);
      }
      const history = await onEngine(this.engine.historicTasks({ processInstanceId: done.processInstanceId }), taskId);
      const later = history.filter((h) => h.id !== done.id && h.endTime && h.deleteReason === 'completed' && Date.parse(h.endTime) > Date.parse(done.endTime ?? ''));
      if (later.length > 0) throw ApprovalErrors.error('NextStepDone', `The case has moved on: ${later.map((h) => h.taskDefinitionKey).join(', ')} was completed after your step.`);
      const next = await this.unclaimedNext(done.processInstanceId, taskId);
      // The claim is read again right before the modification, which does not look at assignees: a claim of the next
      // step that lands in the milliseconds between this read and the engine call is cancelled with the step.
      const again = await this.unclaimedNext(done.processInstanceId, taskId);
      const tree = await onEngine(this.engine.activityInstances(done.processInstanceId), taskId);
      const cancels = again.map((t) => findInstance(tree, t.taskDefinitionKey, t.executionId));
      if (cancels.some((a) => !a) || again.length !== next.length) throw ApprovalErrors.error('StepChanged', 'The next step changed while taking back; reload the case.');
      await this.modify(
        done.processInstanceId,
        [...cancels.map((a) => ({ type: 'cancel' as const, activityInstanceId: a?.id ?? '' })), { type: 'startBeforeActivity', activityId: done.taskDefinitionKey }],
        `take-back ${done.taskDefinitionKey} by ${me}`,
        taskId,
      );
      const opened = await this.openedStep(done.processInstanceId, done.taskDefinitionKey);
      // The step is the officer's again: it opens claimed by them (a failure here leaves it in their group's worklist).
      if (opened) {
        await this.engine.claim(opened, me).catch(() => undefined);
        // and the officer's worklist shows it as theirs at once, not after the next reconciliation
        await this.projector.project(opened).catch(() => undefined);
      }
      return {
        openedTaskId: opened,
        record: {
          caseNumber: c.caseNumber,
          action: 'take-back',
          taskId,
          step: done.taskDefinitionKey,
          officerId: me,
          officerLabel: actorLabel(p),
          reason: null,
          details: { cancelled: again.map((t) => ({ taskId: t.id, step: t.taskDefinitionKey })), openedTaskId: opened },
        },
      };
    });
  }

  transfer(taskId: string, dto: TransferStepDto, key: string, p: Principal): Promise<{ result: TaskActionResult; replayed: boolean }> {
    return this.run(`transfer:${taskId}:${actingSubject(p)}`, key, { toOfficer: dto.toOfficer, reason: dto.reason }, async () => {
      const { task, c, chief, groups } = await this.stepInScope(taskId, p);
      const me = actingSubject(p);
      if (!task.assignee && !chief) throw ApprovalErrors.error('StepNotClaimed', `Step ${taskId} is not claimed; claim it before transferring it (or ask the section chief).`);
      if (task.assignee && task.assignee !== me && !chief) throw ApprovalErrors.error('StepHeldByOther', `Step ${taskId} is held by ${task.assignee}; only they or their section chief may transfer it.`);
      if (task.assignee === dto.toOfficer) throw ApprovalErrors.error('TransferToHolder', `Step ${taskId} is already held by ${dto.toOfficer}.`);
      const target = await this.directory.officer(dto.toOfficer);
      const shared = target ? target.groups.filter((g) => groups.includes(g)) : [];
      if (!target || target.kind !== 'officer' || target.locked || shared.length === 0) {
        const why = !target ? 'is not a user' : target.kind !== 'officer' ? 'is not an officer' : target.locked ? 'is locked' : `is not in ${groups.join(', ')}`;
        throw ApprovalErrors.error('TransferTargetNotEligible', `${dto.toOfficer} ${why}: a step is transferred only to an officer of its groups.`, { field: 'toOfficer' });
      }
      // Checked again right before the engine call, which sets the assignee whoever held the step: a claim or
      // transfer in the last milliseconds between this read and the call is overwritten by this one (both recorded).
      await this.assertHolder(taskId, task.assignee);
      await onEngine(this.engine.setAssignee(taskId, dto.toOfficer), taskId);
      return {
        record: {
          caseNumber: c.caseNumber,
          action: 'transfer',
          taskId,
          step: task.taskDefinitionKey,
          officerId: me,
          officerLabel: actorLabel(p),
          reason: dto.reason,
          details: { from: task.assignee, to: target.id, toName: target.displayName, group: shared[0] },
        },
        confirm: (m) => this.openSteps.setAssignee(taskId, dto.toOfficer, m),
      };
    });
  }

  suspend(caseNumber: string, dto: SuspendCaseDto, key: string, p: Principal): Promise<{ result: TaskActionResult; replayed: boolean }> {
    return this.run(`suspend:${caseNumber}:${actingSubject(p)}`, key, { reason: dto.reason, expectedDays: dto.expectedDays }, async () => {
      const { c, pid } = await this.caseInScope(caseNumber, p);
      const me = actingSubject(p);
      const open = await this.actions.openSuspensionOf(caseNumber);
      if (open) throw ApprovalErrors.error('SuspensionOpen', `Case ${caseNumber} is already suspended (${open.reason} since ${open.suspendedAt.toISOString()}); resume it first.`, { reason: open.reason, suspendedAt: open.suspendedAt.toISOString() });
      const id = randomUUID();
      // The row comes first (its own short transaction): the partial unique index lets one of two concurrent
      // suspensions through, and only that one is correlated.
      if (!(await this.actions.openSuspension({ id, caseNumber, processInstanceId: pid, reason: dto.reason, expectedDays: dto.expectedDays, suspendedBy: me, suspendedAt: this.clock.now() }))) {
        throw ApprovalErrors.error('SuspensionOpen', `Case ${caseNumber} was just suspended by another request.`);
      }
      try {
        await this.engine.correlateToInstance('clock-suspend', pid, { suspensionReason: dto.reason, suspensionExpectedDays: dto.expectedDays });
      } catch (e) {
        // No answer: the engine may have opened the suspension, so the row stays (resume closes both). A refusal: it did not.
        if (!(e instanceof CamundaError) || !e.isUnavailable) await this.actions.dropSuspension(id);
        if (isUnmatchedMessage(e)) throw ApprovalErrors.error('SuspensionNotPossible', `Case ${caseNumber}'s flow has no clock suspension, or the case is not running: ${(e as CamundaError).reason}`);
        throw translateEngineError(e);
      }
      return {
        events: (at) => [
          this.event(c, 'gov.approval.step.suspended', { caseNumber: c.caseNumber, suspensionId: id, stepId: null, reason: dto.reason, statedWorkingDays: dto.expectedDays, suspendedAt: at.toISOString() }, at),
        ],
        record: { caseNumber: c.caseNumber, action: 'suspend', taskId: null, step: null, officerId: me, officerLabel: actorLabel(p), reason: dto.reason, details: { suspensionId: id, expectedDays: dto.expectedDays } },
      };
    });
  }

  resume(caseNumber: string, key: string, p: Principal): Promise<{ result: TaskActionResult; replayed: boolean }> {
    return this.run(`resume:${caseNumber}:${actingSubject(p)}`, key, {}, async () => {
      const { c, pid } = await this.caseInScope(caseNumber, p);
      const me = actingSubject(p);
      const open = await this.actions.openSuspensionOf(caseNumber);
      if (!open) throw ApprovalErrors.error('NoOpenSuspension', `Case ${caseNumber} has no open suspension.`);
      let engineHadIt = true;
      try {
        await this.engine.correlateToInstance('clock-resume', pid);
      } catch (e) {
        // The engine waits for no resume (a suspension whose correlation went unanswered and never arrived): the
        // record is closed all the same, so the case is not left suspended in approval's eyes only.
        if (!isUnmatchedMessage(e)) throw translateEngineError(e);
        engineHadIt = false;
      }
      const at = this.clock.now();
      return {
        events: () => [this.event(c, 'gov.approval.step.resumed', { caseNumber: c.caseNumber, suspensionId: open.id, resumedAt: at.toISOString() }, at)],
        record: { caseNumber: c.caseNumber, action: 'resume', taskId: null, step: null, officerId: me, officerLabel: actorLabel(p), reason: open.reason, details: { suspensionId: open.id, suspendedAt: open.suspendedAt.toISOString(), engineHadIt } },
        confirm: async (m) => {
          if (!(await this.actions.closeSuspension(m, open.id, me, at))) throw ApprovalErrors.error('NoOpenSuspension', `Case ${caseNumber}'s suspension was just resumed by another request.`);
        },
      };
    });
  }

  /** The case's actions and open suspension, after `assertScope` accepted the case's organisation. */
  async history(caseNumber: string, assertScope: (target: ScopedObject) => void): Promise<CaseActionsDto> {
    const c = await this.cases.find(caseNumber);
    if (!c) throw ApprovalErrors.error('CaseNotFound', `No case ${caseNumber} is known to approval.`);
    assertScope(caseScope(c));
    const [actions, open] = await Promise.all([this.actions.history(caseNumber), this.actions.openSuspensionOf(caseNumber)]);
    return {
      caseNumber,
      openSuspension: open ? { id: open.id, reason: open.reason, expectedDays: open.expectedDays, suspendedBy: open.suspendedBy, suspendedAt: open.suspendedAt.toISOString() } : null,
      actions,
    };
  }

  /** (a) take the key, (b) perform, (c) record and answer; the key is given back when (b) or (c) fails. */
  private async run(scope: string, key: string, request: object, perform: () => Promise<Performed>): Promise<{ result: TaskActionResult; replayed: boolean }> {
    const claim = await this.actions.claimRequest(scope, key, requestHash(request));
    if (!claim.claimed) {
      if (!claim.sameRequest) throw KitErrors.error('IdempotencyKeyReused', 'This Idempotency-Key was already used for a different request; use a new key for a new request.');
      if (claim.status === 'pending') throw ApprovalErrors.error('ActionInProgress', 'A request with this Idempotency-Key is still being carried out; try again in a moment.');
      return { result: claim.result as TaskActionResult, replayed: true };
    }
    try {
      const done = await perform();
      const createdAt = this.clock.now();
      const result = await this.actions.transaction(async (m) => {
        await done.confirm?.(m);
        const recordHash = await this.actions.log(m, { ...done.record, createdAt });
        for (const event of done.events?.(createdAt) ?? []) await enqueueEvent(m, event);
        const r: TaskActionResult = {
          caseNumber: done.record.caseNumber,
          action: done.record.action,
          taskId: done.record.taskId,
          openedTaskId: done.openedTaskId ?? null,
          step: done.record.step,
          recordHash,
          at: createdAt.toISOString(),
        };
        await this.actions.completeRequest(m, scope, key, r);
        return r;
      });
      return { result, replayed: false };
    } catch (e) {
      await this.actions.releaseRequest(scope, key).catch(() => undefined);
      throw e;
    }
  }

  /** The open step, its case and groups, and whether the caller is a candidate or the section chief of its section. */
  private async stepInScope(taskId: string, p: Principal): Promise<{ task: Task; c: Case; groups: string[]; chief: boolean }> {
    const task = await onEngine(this.engine.task(taskId), taskId);
    const c = await this.caseOf(task.processInstanceId, taskId);
    const groups = await onEngine(this.engine.candidateGroupsOf(taskId), taskId);
    const mine = new Set(candidateGroupsOf(p));
    const candidate = groups.some((g) => mine.has(g));
    const chief = p.roles.includes(Role.SectionChief) && orgsOfGroups(groups).some((o) => p.orgs.includes(o));
    if (!candidate && !chief) throw ApprovalErrors.error('NotYourStep', `Step ${taskId} is for ${groups.join(', ') || 'nobody'}; your roles and organisations do not include it.`);
    return { task, c, groups, chief };
  }

  /** The running case, if the caller holds one of its open steps or is the section chief or leader handling it. */
  private async caseInScope(caseNumber: string, p: Principal): Promise<{ c: Case; pid: string }> {
    const c = await this.cases.find(caseNumber);
    if (!c) throw ApprovalErrors.error('CaseNotFound', `No case ${caseNumber} is known to approval.`);
    RequestContext.setCase(c.caseNumber);
    const me = actingSubject(p);
    const leads = (p.roles.includes(Role.SectionChief) || p.roles.includes(Role.Leader)) && p.orgs.includes(c.departmentCode);
    const open = c.processInstanceId ? await onEngine(this.engine.tasks({ processInstanceId: c.processInstanceId })) : [];
    if (!leads && !open.some((t) => t.assignee === me)) {
      throw ApprovalErrors.error('NotYourCase', `Only an officer holding an open step of case ${caseNumber}, or the section chief or leader handling it, may suspend or resume its clock.`);
    }
    if (!c.processInstanceId || c.status !== 'in-review') throw ApprovalErrors.error('SuspensionNotPossible', `Case ${caseNumber} is ${c.status}: its clock can no longer be suspended or resumed.`);
    return { c, pid: c.processInstanceId };
  }

  private event<T extends EventType>(c: Case, type: T, data: Parameters<typeof makeEvent<T>>[0]['data'], at: Date): ActionEvent {
    const trace = RequestContext.current()?.traceId;
    return makeEvent({ type, source: '/approval', subject: c.caseNumber, tenantId: c.tenantId, ...(trace ? { traceId: trace } : {}), data, time: at });
  }

  private async caseOf(processInstanceId: string, taskId: string): Promise<Case> {
    // The case's own instance, or one its flow called (上报件: the city's steps run in a child instance).
    const c = await this.instanceCases.caseOf(processInstanceId);
    if (!c) throw ApprovalErrors.error('CaseNotFound', `Step ${taskId} belongs to no case known to approval.`);
    RequestContext.setCase(c.caseNumber);
    return c;
  }

  /**
   * One modification (one engine transaction). The engine refuses it as a whole when an activity instance it cancels
   * is gone (a concurrent return, take-back or completion won): that is a conflict for the caller, not an engine fault.
   */
  private async modify(processInstanceId: string, instructions: ModificationInstruction[], annotation: string, taskId: string): Promise<void> {
    try {
      await this.engine.modify(processInstanceId, instructions, annotation);
    } catch (e) {
      if (e instanceof CamundaError && !e.isUnavailable && (e.isConcurrentModification || /activity instance|does not exist|not found/i.test(e.message))) {
        throw ApprovalErrors.error('StepChanged', `The case changed at the same time (another action or completion won); nothing was done. Reload the case. (${e.reason})`);
      }
      throw translateEngineError(e, taskId);
    }
  }

  private async assertHolder(taskId: string, holder: string | null): Promise<void> {
    const now = await onEngine(this.engine.task(taskId), taskId);
    if (now.assignee !== holder) throw ApprovalErrors.error('StepChanged', `Step ${taskId} was just ${now.assignee ? `claimed by ${now.assignee}` : 'released'}; reload the worklist.`);
  }

  /** The open steps of the instance, none of them claimed (take-back). */
  private async unclaimedNext(processInstanceId: string, taskId: string): Promise<Task[]> {
    const open = await onEngine(this.engine.tasks({ processInstanceId }), taskId);
    if (open.length === 0) throw ApprovalErrors.error('NextStepDone', 'The case is no longer at a human step: there is nothing to take back.');
    const claimed = open.filter((t) => t.assignee);
    if (claimed.length > 0) throw ApprovalErrors.error('NextStepClaimed', `The next step (${claimed.map((t) => t.taskDefinitionKey).join(', ')}) is already claimed by ${claimed.map((t) => t.assignee).join(', ')}; ask them to return it instead.`);
    return open;
  }

  private async openedStep(processInstanceId: string, step: string): Promise<string | null> {
    const tasks = await this.engine.tasks({ processInstanceId, taskDefinitionKey: step }).catch(() => []);
    return tasks[0]?.id ?? null;
  }
}
