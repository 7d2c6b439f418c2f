import type { ApplicationAcceptedData, CloudEvent } from '@gov/contracts';
import type { InboxContext } from '@gov/messaging';
import { Injectable } from '@nestjs/common';
import { CaseStarter } from './case-starter';
import { CasesRepository } from './cases.repository';

/** Events intake publishes carry source `/intake` (or a sub-path of it). */
export function isIntakeSource(source: string): boolean {
  return source === '/intake' || source.startsWith('/intake/');
}

/**
 * On `gov.intake.application.accepted` (and its with-missing and deemed forms): records the case with what starting
 * it needs, in the inbox transaction, and starts its process instance after that transaction commits (CaseStarter),
 * so no transaction is held across the engine call. A start a crash or an engine outage interrupted is finished by
 * CaseStarter's reconciler from the recorded spec.
 */
@Injectable()
export class StartCaseHandler {
  constructor(
    private readonly cases: CasesRepository,
    private readonly starter: CaseStarter,
  ) {}

  async handle(event: CloudEvent<ApplicationAcceptedData>, ctx: Pick<InboxContext, 'manager' | 'afterCommit'>): Promise<void> {
    // Only intake's own acceptances start cases here. The same event type also carries cases a department decided in
    // its own system (supervision's ingestion, source /supervision/ingestion/<system>), which have no flow on this
    // engine: they feed clocks and statistics, never a process instance.
    if (!isIntakeSource(event.source)) return;
    const a = event.data;
    const c = await this.cases.record(
      ctx.manager,
      {
        caseNumber: a.caseNumber,
        applicationId: a.applicationId,
        tenantId: a.tenantId,
        matterCode: a.matterCode,
        matterName: a.matterName,
        departmentCode: a.departmentCode,
        processKey: a.processKey,
        acceptedAt: new Date(a.acceptedAt),
        catalogueFees: a.fees ?? null,
      },
      {
        variables: {
          caseNumber: a.caseNumber,
          applicationId: a.applicationId,
          departmentCode: a.departmentCode,
          matterCode: a.matterCode,
          matterName: a.matterName,
          applicantName: a.applicant.name,
          // The flows' case limit is the promised one (bpmn/README.md); older events carried only one limit.
          timeLimitWorkingDays: a.promisedLimitWorkingDays ?? a.timeLimitWorkingDays,
        },
        stepLimits: a.stepLimits ?? [],
        applicationId: a.applicationId,
        traceId: event.traceid,
        correlationId: event.id,
      },
    );
    if (c.processInstanceId || c.status !== 'accepted') return;
    ctx.afterCommit(() => this.starter.start(a.caseNumber).then(() => undefined));
  }
}
