import { type CloudEvent, makeEvent } from '@gov/contracts';
import { type InboxContext, enqueueEvent } from '@gov/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Case } from '../cases/case.entity';
import { CaseStarter } from '../cases/case-starter';
import { CasesRepository } from '../cases/cases.repository';
import { DecisionsRepository } from './decisions.repository';

export interface CaseEnding {
  caseNumber: string;
  outcome: 'withdrawn' | 'terminated';
  reason: string;
}

/**
 * Ends a running case without a decision on the merits, on intake's word: the withdrawal the window accepted (the
 * case "automatically ends, and a 准予撤回 decision is generated", seed 001 text 3 art. 11) or a 容缺 commitment not
 * kept. Records the 准予撤回 / 终止 document in `decisions` and publishes `gov.approval.case.ended`; the process
 * instance is deleted wherever it is once that has committed (CaseStarter.cancelEnded, and its reconciler after an
 * engine outage). Idempotent: a case already decided or ended is left as it is, and an instance the engine no longer
 * has counts as cancelled.
 */
@Injectable()
export class EndCaseHandler {
  constructor(
    private readonly cases: CasesRepository,
    private readonly decisions: DecisionsRepository,
    private readonly instances: CaseStarter,
  ) {}

  async handle(ending: CaseEnding, event: CloudEvent<unknown>, ctx: Pick<InboxContext, 'manager' | 'afterCommit'>): Promise<void> {
    const { manager } = ctx;
    const c = await this.cases.lock(manager, ending.caseNumber);
    // Never accepted (withdrawn while awaiting acceptance), or already decided or ended: nothing runs to end.
    if (!c || c.status === 'decided' || c.status === 'withdrawn' || c.status === 'terminated') return;
    if (await this.decisions.forCase(manager, ending.caseNumber)) return;
    const cancelReason = c.processInstanceId ? `${ending.outcome}: ${ending.reason}`.slice(0, 3000) : null;
    await this.record(manager, c, ending, cancelReason, { traceId: event.traceid, correlationId: event.id });
    // The engine is asked after the ending commits; an outage leaves it to the reconciler.
    if (cancelReason) ctx.afterCommit(() => this.instances.cancelEnded(c.caseNumber));
  }

  /**
   * Records the ending of a locked case with no outcome yet: the 准予撤回 / 终止 document in `decisions`, the case's
   * status, and `gov.approval.case.ended`. `cancelReason` set: the instance is still running and is deleted after the
   * commit; null: nothing to delete (never started, or the flow's own withdrawal subprocess is ending it).
   */
  async record(manager: EntityManager, c: Case, ending: CaseEnding, cancelReason: string | null, trace: { traceId?: string; correlationId?: string } = {}): Promise<{ documentNumber: string; endedAt: Date }> {
    const endedAt = new Date();
    // e.g. 449900-<dept>-撤〔2026〕000007号 (准予撤回) or 终〔2026〕 (终止办理)
    const documentNumber = await this.decisions.nextDocumentNumber(manager, c, ending.outcome, endedAt);
    await this.decisions.insert(manager, { caseNumber: c.caseNumber, processInstanceId: c.processInstanceId ?? '', decision: ending.outcome, documentNumber, decidedAt: endedAt });
    await this.cases.markEnded(manager, c.caseNumber, ending.outcome, endedAt, cancelReason);
    await enqueueEvent(
      manager,
      makeEvent({
        type: 'gov.approval.case.ended',
        source: '/approval',
        subject: c.caseNumber,
        tenantId: c.tenantId,
        ...(trace.traceId ? { traceId: trace.traceId } : {}),
        ...(trace.correlationId ? { correlationId: trace.correlationId } : {}),
        data: { caseNumber: c.caseNumber, processInstanceId: c.processInstanceId, outcome: ending.outcome, documentNumber, reason: ending.reason, endedAt: endedAt.toISOString() },
      }),
    );
    return { documentNumber, endedAt };
  }
}
