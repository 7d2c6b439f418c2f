import { type CloudEvent, makeEvent } from '@gov/contracts';
import { type InboxContext, enqueueEvent } from '@gov/messaging';
import { Injectable } from '@nestjs/common';
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
    const endedAt = new Date();
    const year = Number(new Date(endedAt.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 4));
    const counter = await this.decisions.nextCounter(manager, c.tenantId, year);
    // e.g. 449900-<dept>-撤〔2026〕000007号 (准予撤回) or 终〔2026〕 (终止办理)
    const documentNumber = `${c.tenantId}-${c.departmentCode}-${ending.outcome === 'withdrawn' ? '撤' : '终'}〔${year}〕${String(counter).padStart(6, '0')}号`;
    await this.decisions.insert(manager, { caseNumber: c.caseNumber, processInstanceId: c.processInstanceId ?? '', decision: ending.outcome, documentNumber, decidedAt: endedAt });
    const cancelReason = c.processInstanceId ? `${ending.outcome}: ${ending.reason}`.slice(0, 3000) : null;
    await this.cases.markEnded(manager, c.caseNumber, ending.outcome, endedAt, cancelReason);
    await enqueueEvent(
      manager,
      makeEvent({
        type: 'gov.approval.case.ended',
        source: '/approval',
        subject: c.caseNumber,
        tenantId: c.tenantId,
        traceId: event.traceid,
        correlationId: event.id,
        data: { caseNumber: c.caseNumber, processInstanceId: c.processInstanceId, outcome: ending.outcome, documentNumber, reason: ending.reason, endedAt: endedAt.toISOString() },
      }),
    );
    // The engine is asked after the ending commits; an outage leaves it to the reconciler.
    if (cancelReason) ctx.afterCommit(() => this.instances.cancelEnded(c.caseNumber));
  }
}
