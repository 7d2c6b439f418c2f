import { randomUUID } from 'node:crypto';
import { type EventData, type EventType, makeEvent, residentIdCheckChar, topicOf } from '@gov/contracts';
import { demoOrgCode } from '../seed/demo-data';
import { type TestSupervision, consumerOf } from './test-app';

// Fixtures of the statistics, complaints, ratings and ingestion tests: the demo seed's organisations and applicants,
// and delivery of an event to one of the service's real inbox consumers.

export { demoOrgCode };
export const MARKET = demoOrgCode('449900', 11); // 示范市市场监督管理局
export const DC_MARKET = demoOrgCode('449901', 11); // 东城区市场监督管理局
export const REGISTRY = demoOrgCode('449900', 111); // 登记注册处 (a section of MARKET)
export const ZHANGSAN_ID = ((s: string) => s + residentIdCheckChar(s))('44990119850312001');

let offset = 0;
/** Hands an event to the service's consumer of `group`, as Kafka would (decode, inbox, handler, one transaction). */
export async function deliverTo<T extends EventType>(t: TestSupervision, group: string, type: T, subject: string, data: EventData<T>, id?: string): Promise<void> {
  const event = makeEvent({ type, source: '/test', subject, data, ...(id ? { id } : {}) });
  await deliverRaw(t, group, event);
}

/** Hands an already built event (e.g. one read from the outbox) to the consumer of `group`. */
export async function deliverRaw(t: TestSupervision, group: string, event: { type: string; subject: string }): Promise<void> {
  await consumerOf(t, group).handle({ topic: topicOf(event.type as EventType), partition: 0, offset: String(++offset), key: event.subject, value: Buffer.from(JSON.stringify(event)), headers: {} });
}

export function acceptedData(caseNumber: string, departmentCode: string, acceptedAt: string, limit = 5, applicantId = '11010519491231002X'): EventData<'gov.intake.application.accepted'> {
  return {
    caseNumber,
    applicationId: randomUUID(),
    matterCode: 'DEMO-SCJG-001',
    matterName: '食品经营许可',
    processKey: 'skeleton-approval',
    departmentCode,
    tenantId: '449900',
    applicant: { kind: 'person', id: applicantId, name: '张三' },
    acceptedAt,
    timeLimitWorkingDays: limit,
    form: {},
  };
}
