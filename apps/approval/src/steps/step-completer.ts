import { RequestContext } from '@gov/service-kit';
import { CamundaClient, CamundaError, type Task } from '@gov/workflow';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { translateEngineError } from '../engine/engine-errors';
import { FeesRepository } from '../fees/fees.repository';
import { ApprovalErrors } from '../errors';
import { JointReviewsRepository } from '../worklist/joint-reviews.repository';
import { OpinionsRepository } from '../worklist/opinions.repository';
import { FaultHook } from './fault-hook';
import type { PendingCompletion, PendingFees } from './pending-completion.entity';
import { PendingCompletionsRepository } from './pending-completions.repository';

/** Attempts of one completion the engine rolls back on a rival command while its task stays open. */
const MAX_CONFLICT_RETRIES = 8;

export interface StepCompleted {
  taskId: string;
  caseNumber: string;
  step: string;
  outcome: 'approve' | 'reject';
  opinionHash: string;
  completedAt: string;
  signerSerial?: string;
}

/**
 * The process variable that names the completion which completed a task: how a crash is told apart from a rival.
 * One per task: a step key is not enough where tasks of one step run at once (a joint review's co-reviews), as the
 * last completion's id would overwrite the others'.
 */
export function completionIdVariable(taskDefinitionKey: string, taskId: string): string {
  return `${taskDefinitionKey}CompletionId_${taskId}`;
}

/** The variable completions recorded before it was per task set (one per step key). */
function legacyCompletionIdVariable(taskDefinitionKey: string): string {
  return `${taskDefinitionKey}CompletionId`;
}

/**
 * What the flow gets of a fee determination: `feeAmount` (the total in fen; the flows' FeeDue gateway reads it),
 * `feeItems` (the items as JSON text, for the payment request) and, when the handler set one, `feePaymentPeriod`.
 */
export function feeVariables(fees: PendingFees): Record<string, unknown> {
  return {
    feeAmount: fees.totalFen,
    feeItems: JSON.stringify(fees.items),
    ...(fees.paymentDays !== null ? { feePaymentPeriod: `P${fees.paymentDays}D` } : {}),
  };
}

/**
 * Drives a recorded completion to its end, from wherever it stopped: completes the engine task (claiming it for the
 * officer if unassigned), then confirms (appends the opinion and marks the row, in one transaction). Safe to run
 * again, concurrently, or after a crash at any point: the engine completes a task once, the completion id variable
 * says whether it was this completion, and confirming locks the row and appends only while it is pending.
 * No transaction is open while the engine is called.
 */
@Injectable()
export class StepCompleter {
  constructor(
    private readonly ds: DataSource,
    private readonly engine: CamundaClient,
    private readonly pending: PendingCompletionsRepository,
    private readonly opinions: OpinionsRepository,
    @Inject(FaultHook) private readonly fault: FaultHook,
    private readonly fees: FeesRepository,
    private readonly jointReviews: JointReviewsRepository,
  ) {}

  async settle(row: PendingCompletion, known?: Task): Promise<StepCompleted> {
    if (row.status === 'confirmed' && row.result) return row.result as unknown as StepCompleted;
    await this.completeOnEngine(row, known);
    return this.confirm(row);
  }

  private async completeOnEngine(row: PendingCompletion, known?: Task): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.tryCompleteOnEngine(row, attempt === 1 ? known : undefined, attempt);
      if (outcome === 'done') return;
      // Rolled back by the engine's optimistic lock against another task of the same instance (the co-reviews of a
      // joint review, parallel branches) while the task stayed open: completed again after a short random pause.
      await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 80 * attempt)));
    }
  }

  /** One attempt; 'again' when the engine rolled it back on a rival command and the task is still open. */
  private async tryCompleteOnEngine(row: PendingCompletion, known: Task | undefined, attempt: number): Promise<'done' | 'again'> {
    let claimedNow = false;
    try {
      const task = known ?? (await this.engine.task(row.taskId));
      if (task.assignee && task.assignee !== row.officerId) {
        await this.pending.markAbandoned(row.id, `claimed by ${task.assignee}`);
        throw ApprovalErrors.error('StepClaimedByOther', `Step ${row.taskId} is claimed by ${task.assignee}; only they can complete it.`);
      }
      if (!task.assignee) {
        await this.engine.claim(row.taskId, row.officerId);
        claimedNow = true;
      }
      await this.engine.complete(row.taskId, {
        [`${row.taskDefinitionKey}Outcome`]: row.outcome,
        [`${row.taskDefinitionKey}Officer`]: row.officerLabel,
        [completionIdVariable(row.taskDefinitionKey, row.taskId)]: row.id,
        // who completed it, for this very task (the engine's step.completed event carries it as actorGroups)
        ...(row.actorGroups ? { [`${row.taskDefinitionKey}ActorGroups`]: JSON.stringify({ taskId: row.taskId, groups: row.actorGroups }) } : {}),
        decision: row.outcome === 'approve' ? 'approved' : 'rejected',
        ...(row.fees ? feeVariables(row.fees) : {}),
      });
      this.fault.afterEngineComplete();
      return 'done';
    } catch (e) {
      if (!(e instanceof CamundaError)) throw e;
      // The engine answers a completion racing another task of the instance with an optimistic-lock failure, and
      // now and then (parallel multi-instance: a co-review's execution swept away under it) with a
      // NullPointerException; either way the command rolled back, and is tried again while the task is open.
      if (e.type === 'NullPointerException' && attempt < MAX_CONFLICT_RETRIES && (await this.stillOpen(row.taskId))) return 'again';
      if (e.isConcurrentModification) {
        // One of two commands on the instance lost the optimistic lock: another completion of this same row (the
        // reconciler, or a retry with the same key), or another task of the instance completed at the same moment (a
        // joint review's co-reviews). If the winner was this completion, it is done; if the task is still open, this
        // command was rolled back and is tried again (a few times); otherwise the row stays pending, as after an
        // outage, and the reconciler (or the next retry) finishes it.
        if (await this.completedByThis(row)) return 'done';
        if (attempt < MAX_CONFLICT_RETRIES && (await this.stillOpen(row.taskId))) return 'again';
        for (let i = 0; i < 10; i++) {
          if (await this.completedByThis(row)) return 'done';
          await new Promise((r) => setTimeout(r, 100));
        }
        throw ApprovalErrors.error(
          'EngineUnavailable',
          `Step ${row.taskId} was being completed concurrently. Your opinion is kept and the step is completed shortly; retry with the same Idempotency-Key to see the result.`,
        );
      }
      if (e.isNotFound || e.isAlreadyClaimed) {
        // The task is gone or taken: completed by this completion earlier (a crash, a retry), or by someone else.
        if (await this.completedByThis(row)) return 'done';
        await this.pending.markAbandoned(row.id, e.reason);
        throw e.isAlreadyClaimed
          ? ApprovalErrors.error('StepClaimedByOther', `Step ${row.taskId} was just claimed by someone else: ${e.reason}`)
          : ApprovalErrors.error('StepChanged', `Step ${row.taskId} was completed or withdrawn by someone else; your opinion was not recorded. Reload the worklist.`);
      }
      if (e.isUnavailable) {
        // Unknown whether the engine completed it: the row stays pending and the reconciler finishes it.
        throw ApprovalErrors.error(
          'EngineUnavailable',
          `The process engine is not answering. Your opinion on step ${row.taskId} is kept and the step is completed when the engine is back; retry with the same Idempotency-Key to see the result.`,
        );
      }
      // A refusal (the command rolled back on the engine): nothing happened there; give the claim and the task back.
      if (claimedNow) await this.engine.unclaim(row.taskId).catch(() => undefined);
      await this.pending.markAbandoned(row.id, e.reason);
      throw translateEngineError(e, row.taskId);
    }
  }

  /** Whether the task is open on the engine (not completed, not cancelled). */
  private async stillOpen(taskId: string): Promise<boolean> {
    const [historic] = await this.engine.historicTasks({ taskId });
    return historic !== undefined && !historic.endTime;
  }

  /** Whether the engine's history shows the task completed with this completion's id. */
  private async completedByThis(row: PendingCompletion): Promise<boolean> {
    const [historic] = await this.engine.historicTasks({ taskId: row.taskId });
    if (!historic?.endTime) return false;
    const id = await this.engine.historicVariable(row.processInstanceId, completionIdVariable(row.taskDefinitionKey, row.taskId));
    if (id !== undefined && id !== null) return id === row.id;
    return (await this.engine.historicVariable(row.processInstanceId, legacyCompletionIdVariable(row.taskDefinitionKey))) === row.id;
  }

  private async confirm(row: PendingCompletion): Promise<StepCompleted> {
    RequestContext.setCase(row.caseNumber);
    return this.ds.transaction(async (manager) => {
      const locked = await this.pending.lockForConfirm(manager, row.id);
      if (!locked) throw new Error(`pending completion ${row.id} vanished`);
      if (locked.status === 'confirmed' && locked.result) return locked.result as unknown as StepCompleted;
      // The engine completed the step with this completion's id: its opinion is appended now, exactly once (the
      // row lock orders confirmations of one row; a live row is unique per task). Looked up on the transaction's
      // own connection, after the lock.
      const stored =
        (await this.opinions.forTask(manager, row.caseNumber, row.taskId)) ??
        (await this.opinions.append(manager, {
          caseNumber: row.caseNumber,
          taskId: row.taskId,
          taskDefinitionKey: row.taskDefinitionKey,
          stepName: row.stepName,
          officerId: row.officerId,
          officerLabel: row.officerLabel,
          outcome: row.outcome,
          opinion: row.opinion,
          createdAt: row.opinionAt,
          signature: row.signature,
          signerSerial: row.signerSerial,
        }));
      const result: StepCompleted = {
        taskId: row.taskId,
        caseNumber: row.caseNumber,
        step: row.taskDefinitionKey,
        outcome: row.outcome,
        opinionHash: stored.hash,
        completedAt: stored.createdAt.toISOString(),
        ...(stored.signerSerial ? { signerSerial: stored.signerSerial } : {}),
      };
      // The fee determination the engine took with the step: recorded for the case (the last one counts, a case
      // returned to the handler is determined again) and announced to supervision, with the opinion, exactly once.
      if (row.fees) await this.fees.recordDetermination(manager, row, row.fees, stored.createdAt);
      // A co-review step of a joint review: its department's opinion, announced to supervision exactly once.
      await this.jointReviews.answered(manager, { taskId: row.taskId, caseNumber: row.caseNumber, outcome: row.outcome, actorGroups: row.actorGroups, at: stored.createdAt });
      await this.pending.markConfirmed(manager, row.id, result);
      return result;
    });
  }
}
