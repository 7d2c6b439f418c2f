import { type ApplicationAcceptedData, makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { RequestContext } from '@gov/service-kit';
import type { EntityManager } from 'typeorm';
import type { AcceptanceMode, Application } from '../applications/application.entity';
import type { AcceptanceMatter } from '../applications/matter-lookup';

type IntakeEventType = Parameters<typeof makeEvent>[0]['type'];

/** What every intake application event names. */
export function refOf(app: Application) {
  return { caseNumber: app.caseNumber, applicationId: app.id, matterCode: app.matterCode, departmentCode: app.departmentCode, tenantId: app.tenantId };
}

/** The data of an accepted (by the window, with missing materials, deemed) event: what approval starts the case from. */
export function acceptedData(app: Application, matter: AcceptanceMatter, acceptedAt: Date, acceptedBy: string | null, mode: AcceptanceMode, promisedDeadline: Date): ApplicationAcceptedData {
  return {
    ...refOf(app),
    matterName: matter.name,
    processKey: matter.processKey,
    applicant: { kind: app.applicantKind, id: app.applicantId, name: app.applicantName },
    acceptedAt: acceptedAt.toISOString(),
    // The contract's two limits: statutory (法定) and promised (承诺, the one the application was received under).
    timeLimitWorkingDays: Math.max(matter.statutoryWorkingDays, app.timeLimitWorkingDays),
    promisedLimitWorkingDays: app.timeLimitWorkingDays,
    stepLimits: matter.stepLimits.map((s) => ({ step: s.step, name: s.name, workingDays: s.workingDays })),
    // Codes F1, F2 ... in catalogue order: unique in the version the case runs under (the handler names them).
    ...(matter.fees.length > 0 ? { fees: matter.fees.map((f, i) => ({ code: `F${i + 1}`, name: f.name, standard: f.standard, amountFen: f.amountFen, basis: f.basis, payment: f.payment })) } : {}),
    form: app.form,
    receivedAt: app.receivedAt.toISOString(),
    acceptedBy,
    mode,
    matterVersion: matter.version,
    promisedDeadline: promisedDeadline.toISOString(),
    // 上报件: approval calls the higher level's flow in its tenant for its department (absent for other matters).
    ...(matter.reportsUpTo && matter.reportsTo ? { reportsTo: { level: matter.reportsUpTo, ...matter.reportsTo } } : {}),
    // 并联审批: approval sends the case to each of them at once (absent when the matter names none).
    ...(matter.coReviewers.length > 0 ? { coReviewers: matter.coReviewers.map((c) => ({ departmentCode: c.departmentCode, departmentName: c.departmentName })) } : {}),
  };
}

/** Writes an application event to the outbox, keyed by its case number, in the caller's transaction. */
export async function emitEvent<T extends IntakeEventType>(manager: EntityManager, app: Application, type: T, data: Parameters<typeof makeEvent<T>>[0]['data']): Promise<void> {
  await enqueueEvent(manager, makeEvent({ type, source: '/intake', subject: app.caseNumber, tenantId: app.tenantId, traceId: RequestContext.current()?.traceId, correlationId: app.id, data }));
}

export function freezeEvent(manager: EntityManager, app: Application, at: Date): Promise<void> {
  return emitEvent(manager, app, 'gov.intake.application.materials-frozen', { ...refOf(app), frozenAt: at.toISOString() });
}
