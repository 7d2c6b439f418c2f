import { type CloudEvent, type EventData, type EventType, creditCodeCheckChar, makeEvent, residentIdCheckChar } from '@gov/contracts';
import { recordUuid } from '../ingestion/record-to-event';

// The supervision demo (never in production): a handful of cases at the demo bureaus that show every kind of light
// and anomaly and feed the statistics, as the events their producers would publish. Times are relative to the
// moment of seeding, so the lights are due at once.

/** The unified code identity's demo data gives organisation `n` of a division (apps/identity/src/seed/demo-data.ts). */
export function demoOrgCode(division: string, n: number): string {
  const first17 = `11${division}${String(n).padStart(9, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}
export const DEMO_MARKET = demoOrgCode('449900', 11); // 示范市市场监督管理局
export const DEMO_REGISTRY = demoOrgCode('449900', 111); // 登记注册处
export const DEMO_DC_MARKET = demoOrgCode('449901', 11); // 东城区市场监督管理局
const ZHANGSAN = '44990119850312001' + residentIdCheckChar('44990119850312001');

/** The source of every demo event (approval starts no case for it: only intake's acceptances start cases). */
export const DEMO_SOURCE = '/supervision/demo';

export const DEMO_CASES = {
  /** 示范市: a step and both case limits overdue (reds). */
  overdue: 'DEMOSUP-20261201-000001',
  /** 示范市: returned three times (too-many-returns); its step turns yellow within a day. */
  returned: 'DEMOSUP-20261201-000002',
  /** 示范市: 容缺 materials never came (deferred-materials-missed). */
  deferred: 'DEMOSUP-20261201-000003',
  /** 东城区: completed by an officer of another bureau (unauthorised-action), decided late, never published. */
  outsider: 'DEMOSUP-20261201-000004',
  /** 东城区: suspended past its stated duration, a fee off the catalogue. */
  suspended: 'DEMOSUP-20261201-000005',
} as const;

const DAY = 24 * 3600 * 1000;

export function demoEvents(now: Date): Array<CloudEvent & { type: EventType }> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
  const events: Array<CloudEvent & { type: EventType }> = [];
  let n = 0;
  const add = <T extends EventType>(type: T, subject: string, data: EventData<T>) => events.push(makeEvent({ type, source: DEMO_SOURCE, subject, id: recordUuid('demo', `${subject}:${++n}`), time: new Date(now.getTime() + n), data }));
  const acceptance = (caseNumber: string, departmentCode: string, daysAgo: number, limit: number, promised?: number): EventData<'gov.intake.application.accepted'> => ({
    caseNumber,
    applicationId: recordUuid('demo', caseNumber, 'application'),
    matterCode: 'DEMO-SCJG-001',
    matterName: '食品经营许可',
    processKey: 'skeleton-approval',
    departmentCode,
    tenantId: departmentCode === DEMO_DC_MARKET ? '449901' : '449900',
    applicant: { kind: 'person', id: ZHANGSAN, name: '张三' },
    acceptedAt: ago(daysAgo),
    submittedAt: ago(daysAgo),
    timeLimitWorkingDays: limit,
    ...(promised ? { promisedLimitWorkingDays: promised } : {}),
    form: {},
  });
  const step = (caseNumber: string, key: string, group: string, daysAgo: number, limit: number, over: Partial<EventData<'gov.approval.step.opened'>> = {}): EventData<'gov.approval.step.opened'> => ({
    processInstanceId: `demo-${caseNumber}`,
    processDefinitionId: 'skeleton-approval:1:demo',
    processDefinitionKey: 'skeleton-approval',
    businessKey: caseNumber,
    taskId: `demo-${caseNumber}-${key}`,
    taskDefinitionKey: key,
    name: key === 'HandlerReview' ? '承办审查' : '审核',
    candidateGroups: [group],
    assignee: null,
    timeLimitWorkingDays: limit,
    openedAt: ago(daysAgo),
    completedAt: null,
    deleteReason: null,
    tenantId: null,
    ...over,
  });

  const a = DEMO_CASES.overdue;
  add('gov.intake.application.accepted', a, acceptance(a, DEMO_MARKET, 20, 5, 3));
  add('gov.approval.step.opened', a, step(a, 'HandlerReview', `handler:${DEMO_REGISTRY}`, 20, 3, { assignee: 'handler.market' }));

  const b = DEMO_CASES.returned;
  add('gov.intake.application.accepted', b, acceptance(b, DEMO_MARKET, 1, 20, 10));
  for (const [i, reason] of ['营业执照复印件不清晰', '经营场所平面图缺少比例尺', '健康证明已过期'].entries()) {
    add('gov.approval.case.returned', b, { caseNumber: b, stepId: null, by: 'chief.market', reason, returnedAt: ago(1 - (i + 1) * 0.1) });
  }
  add('gov.approval.step.opened', b, step(b, 'HandlerReview', `handler:${DEMO_REGISTRY}`, 0, 1, { assignee: 'handler.market' }));

  const c = DEMO_CASES.deferred;
  add('gov.intake.application.accepted-with-missing', c, {
    ...acceptance(c, DEMO_MARKET, 6, 20),
    mode: 'with-missing',
    missing: [{ key: 'lease', name: '经营场所租赁合同' }],
    deferredDeadline: ago(3),
    commitment: { signedBy: '张三', signedAt: ago(6), text: '本人承诺于期限内补交经营场所租赁合同，逾期未补交的，同意终止办理。' },
  });

  const d = DEMO_CASES.outsider;
  add('gov.intake.application.accepted', d, acceptance(d, DEMO_DC_MARKET, 30, 5));
  add('gov.approval.step.opened', d, step(d, 'HandlerReview', `handler:${DEMO_DC_MARKET}`, 30, 2));
  add('gov.approval.step.completed', d, { ...step(d, 'HandlerReview', `handler:${DEMO_DC_MARKET}`, 30, 2), assignee: 'handler.market', completedAt: ago(20), actorGroups: [`handler:${DEMO_REGISTRY}`] });
  add('gov.approval.case.decided', d, { caseNumber: d, processInstanceId: `demo-${d}`, decision: 'approved', documentNumber: '东市监准字〔2026〕DEMO号', decidedAt: ago(15) });

  const e = DEMO_CASES.suspended;
  add('gov.intake.application.accepted', e, acceptance(e, DEMO_DC_MARKET, 8, 20));
  add('gov.approval.step.suspended', e, { caseNumber: e, suspensionId: `demo-${e}-s1`, stepId: null, reason: '现场核查', statedWorkingDays: 2, suspendedAt: ago(6) });
  add('gov.intake.fee.assessed', e, { caseNumber: e, matterCode: 'DEMO-SCJG-001', itemCode: 'inspection', amountFen: 20000, catalogueAmountFen: 0, assessedAt: ago(7) });

  const consultation = { consultationId: recordUuid('demo', 'consultation-1'), matterCode: 'DEMO-SCJG-001', departmentCode: DEMO_DC_MARKET, tenantId: '449901', caseNumber: null, askedAt: ago(9), dueAt: ago(4) };
  add('gov.intake.consultation.asked', 'consultation', { ...consultation, asker: 'anonymous' });
  add('gov.intake.consultation.overdue', 'consultation', { ...consultation, overdueAt: ago(4) });
  return events;
}
