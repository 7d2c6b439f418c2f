import { createHash, randomUUID } from 'node:crypto';
import { type Principal, actingSubject, actorLabel } from '@gov/auth';
import { KitErrors, RequestContext } from '@gov/service-kit';
import { CamundaClient, CamundaError, type Task } from '@gov/workflow';
import { Inject, Injectable } from '@nestjs/common';
import { APPROVAL_CONFIG, type ApprovalConfig } from '../config';
import { checkFeeDetermination } from '../fees/fee-determination';
import { InstanceCases } from '../cases/instance-cases';
import { onEngine, translateEngineError } from '../engine/engine-errors';
import { ApprovalErrors } from '../errors';
import { opinionPayload } from '../signing/opinion-payload';
import { SigningKeysService } from '../signing/signing-keys.service';
import { candidateGroupsOf } from '../worklist/candidate-groups';
import { StepAccess } from '../worklist/step-access';
import type { CompleteStepDto } from './dtos/complete-step.dto';
import { FaultHook } from './fault-hook';
import type { PendingCompletion } from './pending-completion.entity';
import { PendingCompletionsRepository } from './pending-completions.repository';
import { StepCompleter, type StepCompleted } from './step-completer';

/** Longest list of the completing officer's groups sent to the engine (an officer has far fewer). */
const MAX_ACTOR_GROUPS = 100;

function requestHash(command: CompleteStepDto): string {
  // A completion without fees hashes as before (a retry across the upgrade still replays).
  const fees = command.fees !== undefined || command.paymentDays !== undefined ? { fees: command.fees, paymentDays: command.paymentDays } : {};
  return createHash('sha256').update(JSON.stringify({ outcome: command.outcome, opinion: command.opinion, ...fees })).digest('hex');
}

/**
 * An officer completes a step with an opinion, in three steps and without a lock or transaction across the engine
 * call: (a) the completion is recorded (its own short transaction, with the Idempotency-Key and the opinion), (b) the
 * engine task is completed, (c) the opinion is appended and the completion confirmed (one transaction). A crash
 * between (b) and (c) is finished by the reconciler. A retry with the same key replays the result, or drives a
 * completion still pending to its end; the same key with another request is refused.
 */
@Injectable()
export class CompleteStepUseCase {
  constructor(
    private readonly engine: CamundaClient,
    private readonly cases: InstanceCases,
    private readonly access: StepAccess,
    private readonly pending: PendingCompletionsRepository,
    private readonly completer: StepCompleter,
    private readonly signing: SigningKeysService,
    @Inject(FaultHook) private readonly fault: FaultHook,
    @Inject(APPROVAL_CONFIG) private readonly config: ApprovalConfig,
  ) {}

  async execute(taskId: string, command: CompleteStepDto, idempotencyKey: string, principal: Principal, authorization?: string): Promise<{ result: StepCompleted; replayed: boolean }> {
    // Seed 001 text 3 art. 9: an opinion states clearly whether it agrees; disagreeing needs its reasons.
    const opinionText = command.opinion ?? '';
    if (command.outcome === 'reject' && opinionText.trim().length < 2) {
      throw ApprovalErrors.error('ReasonsRequired', "A disagreeing opinion (outcome 'reject') must give its reasons: write them in 'opinion'.");
    }
    const officerId = actingSubject(principal);
    const scope = `complete:${taskId}:${officerId}`;
    const hash = requestHash(command);
    // The key is checked first, so a retry after success replays the result instead of finding the step gone. The
    // engine is asked at the same time (one query: the task if it is offered to the officer's groups), so the usual
    // first completion pays one round trip for both; a replay ignores the engine's answer.
    const visible = this.access.visibleTask(taskId, principal).then(
      (task) => ({ task }),
      (error: unknown) => ({ error }),
    );
    const earlier = await this.pending.byKey(scope, idempotencyKey);
    if (earlier) return { result: await this.resume(earlier, hash), replayed: true };
    const seen = await visible;
    if ('error' in seen) throw seen.error;

    // Not visible: gone (409 with how it closed), not a task (404), or not the officer's (403), found out in that order.
    const task = seen.task ?? (await this.openTask(taskId));
    // The case's own instance, or one its flow called (上报件: the city's steps run in a child instance).
    const c = await this.cases.caseOf(task.processInstanceId);
    if (!c) throw ApprovalErrors.error('CaseNotFound', `Step ${taskId} belongs to no case known to approval.`);
    RequestContext.setCase(c.caseNumber);
    if (!seen.task) await this.access.assertCandidate(taskId, principal);
    if (task.assignee && task.assignee !== officerId) {
      throw ApprovalErrors.error('StepClaimedByOther', `Step ${taskId} is claimed by ${task.assignee}; only they can complete it.`);
    }
    // The fee determination is checked against the case's catalogue fees before anything is signed or recorded.
    const fees = checkFeeDetermination(task.taskDefinitionKey, command.outcome, c.catalogueFees, { fees: command.fees, paymentDays: command.paymentDays }, this.config.FEE_MAX_FEN);
    // The opinion is signed before it is recorded (the officer's key is enrolled at identity first if they have no
    // usable one; no transaction is open): the pending row carries the JWS, so the reconciler appends it as signed.
    const opinion = {
      caseNumber: c.caseNumber,
      taskId,
      taskDefinitionKey: task.taskDefinitionKey,
      stepName: task.name,
      officerLabel: actorLabel(principal),
      outcome: command.outcome,
      opinion: opinionText,
      createdAt: new Date(),
    };
    const signed = await this.signing.sign(principal, opinionPayload(opinion, principal), authorization);
    const outcome = await this.pending.record({
      id: randomUUID(),
      taskId,
      caseNumber: c.caseNumber,
      processInstanceId: task.processInstanceId,
      idempotencyScope: scope,
      idempotencyKey,
      requestHash: hash,
      taskDefinitionKey: task.taskDefinitionKey,
      stepName: task.name,
      officerId,
      officerLabel: opinion.officerLabel,
      outcome: command.outcome,
      opinion: opinionText,
      opinionAt: opinion.createdAt,
      signature: signed.jws,
      signerSerial: signed.signerSerial,
      actorGroups: candidateGroupsOf(principal).slice(0, MAX_ACTOR_GROUPS),
      fees,
    });
    if ('conflict' in outcome) {
      if (outcome.conflict === 'key') {
        // A concurrent request with the same key recorded first: follow it to its result.
        const same = await this.pending.byKey(scope, idempotencyKey);
        if (same) return { result: await this.resume(same, hash), replayed: true };
      }
      throw ApprovalErrors.error('StepBeingCompleted', `Step ${taskId} is being completed by another request; reload the worklist.`);
    }
    this.fault.afterRecord();
    return { result: await this.completer.settle(outcome.recorded, task), replayed: false };
  }

  /** The open task; a task that was open and is gone is a conflict (409, with when and how it closed), not a 404. */
  private async openTask(taskId: string): Promise<Task> {
    try {
      return await this.engine.task(taskId);
    } catch (e) {
      if (e instanceof CamundaError && e.isNotFound) {
        const [closed] = await onEngine(this.engine.historicTasks({ taskId }), taskId);
        if (closed?.endTime) {
          // A task deleted with its process instance carries 'deleted'; the instance carries the reason given.
          const [instance] = closed.deleteReason === 'completed' ? [] : await this.engine.historicProcessInstances({ processInstanceId: closed.processInstanceId }).catch(() => []);
          const why = instance?.deleteReason ?? closed.deleteReason ?? 'no reason given';
          const how = closed.deleteReason === 'completed' ? 'completed' : `withdrawn (${why})`;
          throw ApprovalErrors.error('StepChanged', `Step ${taskId} is no longer open: it was ${how} at ${closed.endTime}. Reload the worklist.`, {
            closedAt: closed.endTime,
            reason: closed.deleteReason === 'completed' ? 'completed' : why,
          });
        }
      }
      throw translateEngineError(e, taskId);
    }
  }

  private resume(row: PendingCompletion, hash: string): Promise<StepCompleted> {
    if (row.requestHash !== hash) {
      throw KitErrors.error('IdempotencyKeyReused', 'This Idempotency-Key was already used for a different request; use a new key for a new request.');
    }
    return this.completer.settle(row);
  }
}
