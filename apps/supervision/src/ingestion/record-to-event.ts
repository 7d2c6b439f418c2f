import { createHash } from 'node:crypto';
import { type CloudEvent, type EventType, type ExchangeRecordData, makeEvent } from '@gov/contracts';
import { divisionOfOrg } from '../statistics/dimensions';

// The seam between departments' own systems and e-supervision: each exchange record becomes the very event the
// platform's own services publish for the same fact (intake's acceptance, the engine's step events, approval's
// decision), written to supervision's outbox. Everything downstream — step clocks and lights, anomaly rules,
// statistics — consumes it exactly as it consumes native cases; only `source` (/supervision/ingestion/<system>)
// and the `ext:` prefix of process and task ids tell them apart.

/** The source of every event made from a department system's record: `/supervision/ingestion/<system>`. */
export const INGESTION_SOURCE_PREFIX = '/supervision/ingestion/';

/** A UUID (RFC 9562 layout, version 5 bits) derived from the department and record id: a resend yields the same event id. */
export function recordUuid(departmentCode: string, recordId: string, salt = 'event'): string {
  const h = createHash('sha256').update(`${salt}\u0000${departmentCode}\u0000${recordId}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function toEvent(system: string, r: ExchangeRecordData): CloudEvent & { type: EventType } {
  const source = `${INGESTION_SOURCE_PREFIX}${system}`;
  const id = recordUuid(r.departmentCode, r.recordId);
  const division = r.divisionCode ?? divisionOfOrg(r.departmentCode) ?? null;
  const processInstanceId = `ext:${r.departmentCode}:${r.caseNumber}`;
  const time = new Date(r.occurredAt);
  const base = { id, source, subject: r.caseNumber, time, correlationId: r.recordId, ...(division ? { tenantId: division } : {}) };
  switch (r.kind) {
    case 'case.accepted':
      return makeEvent({
        ...base,
        type: 'gov.intake.application.accepted',
        data: {
          caseNumber: r.caseNumber,
          applicationId: recordUuid(r.departmentCode, r.caseNumber, 'application'),
          matterCode: r.matterCode,
          matterName: r.matterName,
          processKey: `external:${system}`,
          departmentCode: r.departmentCode,
          tenantId: division ?? r.departmentCode,
          applicant: r.applicant,
          acceptedAt: r.occurredAt,
          timeLimitWorkingDays: r.statutoryLimitWorkingDays,
          form: {},
        },
      });
    case 'step.opened':
    case 'step.completed':
      return makeEvent({
        ...base,
        type: r.kind === 'step.opened' ? 'gov.approval.step.opened' : 'gov.approval.step.completed',
        data: {
          processInstanceId,
          processDefinitionId: `external:${system}`,
          processDefinitionKey: `external:${system}`,
          businessKey: r.caseNumber,
          taskId: `ext:${r.departmentCode}:${r.stepId}`,
          taskDefinitionKey: r.stepKey,
          name: r.stepName,
          candidateGroups: r.candidateGroups,
          assignee: r.assignee ?? null,
          timeLimitWorkingDays: r.timeLimitWorkingDays,
          openedAt: r.kind === 'step.opened' ? r.occurredAt : r.openedAt,
          completedAt: r.kind === 'step.completed' ? r.occurredAt : null,
          deleteReason: null,
          tenantId: division,
        },
      });
    case 'case.decided':
      return makeEvent({
        ...base,
        type: 'gov.approval.case.decided',
        data: { caseNumber: r.caseNumber, processInstanceId, decision: r.decision, documentNumber: r.documentNumber, decidedAt: r.occurredAt },
      });
  }
}
