import type { ApplicationAcceptedData, CloudEvent } from '@gov/contracts';
import { makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { CamundaClient } from '@gov/workflow';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CasesRepository } from './cases.repository';

/**
 * On `gov.intake.application.accepted`: records the case and starts its process instance with the case number as
 * business key, in the bureau's tenant. Starting is idempotent: an instance that already carries the business key
 * (left by an earlier attempt whose transaction did not commit) is adopted instead of starting a second one.
 */
/** Events intake publishes carry source `/intake` (or a sub-path of it). */
export function isIntakeSource(source: string): boolean {
  return source === '/intake' || source.startsWith('/intake/');
}

@Injectable()
export class StartCaseHandler {
  constructor(
    private readonly cases: CasesRepository,
    private readonly engine: CamundaClient,
  ) {}

  async handle(event: CloudEvent<ApplicationAcceptedData>, manager: EntityManager): Promise<void> {
    // Only intake's own acceptances start cases here. The same event type also carries cases a department decided in
    // its own system (supervision's ingestion, source /supervision/ingestion/<system>), which have no flow on this
    // engine: they feed clocks and statistics, never a process instance.
    if (!isIntakeSource(event.source)) return;
    const a = event.data;
    const c = await this.cases.upsertAndLock(manager, {
      caseNumber: a.caseNumber,
      applicationId: a.applicationId,
      tenantId: a.tenantId,
      matterCode: a.matterCode,
      matterName: a.matterName,
      departmentCode: a.departmentCode,
      processKey: a.processKey,
      acceptedAt: new Date(a.acceptedAt),
    });
    if (c.processInstanceId) return;
    const existing = await this.engine.processInstances({ businessKey: a.caseNumber, tenantIdIn: [a.tenantId], processDefinitionKey: a.processKey });
    if (existing[0]) {
      // Adopt it only if it is this application's: a case number reused for another application is an integrity
      // failure to surface (the event is retried, then dead-lettered), never a case to merge into.
      const applicationId = await this.engine.variable(existing[0].id, 'applicationId');
      if (applicationId !== a.applicationId) {
        throw new Error(`process instance ${existing[0].id} already carries business key ${a.caseNumber} for application ${String(applicationId)}, not ${a.applicationId}`);
      }
    }
    const instance =
      existing[0] ??
      (await this.engine.startByKey(a.processKey, {
        businessKey: a.caseNumber,
        tenantId: a.tenantId,
        variables: {
          caseNumber: a.caseNumber,
          applicationId: a.applicationId,
          departmentCode: a.departmentCode,
          matterCode: a.matterCode,
          matterName: a.matterName,
          applicantName: a.applicant.name,
          timeLimitWorkingDays: a.timeLimitWorkingDays,
        },
      }));
    const startedAt = new Date();
    await this.cases.markStarted(manager, a.caseNumber, instance.id, startedAt);
    await enqueueEvent(
      manager,
      makeEvent({
        type: 'gov.approval.case.started',
        source: '/approval',
        subject: a.caseNumber,
        tenantId: a.tenantId,
        traceId: event.traceid,
        correlationId: event.id,
        data: { caseNumber: a.caseNumber, processInstanceId: instance.id, processKey: a.processKey, tenantId: a.tenantId, startedAt: startedAt.toISOString() },
      }),
    );
  }
}
