import type { ApplicationAcceptedData, CloudEvent } from '@gov/contracts';
import type { InboxContext } from '@gov/messaging';
import { Injectable } from '@nestjs/common';
import { CaseStarter } from './case-starter';
import { CasesRepository } from './cases.repository';

/**
 * Flows that call the higher level's flow in its tenant (上报件, bpmn/README.md variable contract: `cityTenantId`,
 * `cityDepartmentCode`). An accepted event of one of them without `reportsTo` is refused (the consumer retries, then
 * dead-letters it with this reason): an instance without the city's tenant and department would run the county steps
 * and then fail at the call, with officers' opinions already given. Any other flow that calls one is guarded at start
 * (CaseStarter: the variables a call needs must be there).
 */
export const HIGHER_LEVEL_FLOWS: ReadonlySet<string> = new Set(['higher-level-submission']);

export class ReportsToMissing extends Error {
  constructor(caseNumber: string, matterCode: string, processKey: string) {
    super(
      `case ${caseNumber} (matter ${matterCode}) runs ${processKey}, a higher-level submission (上报件), but its accepted event names no reportsTo (the higher-level tenant and department): no instance is started. Name reportsTo in the matter version and replay the event.`,
    );
  }
}

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
    if (!a.reportsTo && HIGHER_LEVEL_FLOWS.has(a.processKey)) throw new ReportsToMissing(a.caseNumber, a.matterCode, a.processKey);
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
        reportsToTenantId: a.reportsTo?.tenantId ?? null,
        reportsToDepartmentCode: a.reportsTo?.departmentCode ?? null,
        coDepartmentCodes: (a.coReviewers ?? []).map((d) => d.departmentCode),
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
          // 上报件: the tenant whose higher-level-review is called, and the department working its steps.
          ...(a.reportsTo ? { cityTenantId: a.reportsTo.tenantId, cityDepartmentCode: a.reportsTo.departmentCode } : {}),
          // 并联审批: the departments joint-review's co-review multi-instance sends the case to at once.
          ...(a.coReviewers?.length ? { coDepartments: a.coReviewers.map((d) => d.departmentCode).join(','), coDepartmentCount: a.coReviewers.length } : {}),
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
