import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { demoLogin } from '@gov/auth/testing';
import { type EventData, type EventType, makeEvent, type StepEvent } from '@gov/contracts';
import { InboxTransport, type InboxConsumer } from '@gov/messaging';
import { SERVICE_TRANSPORTS } from '@gov/service-kit';
import { type HttpInit, type HttpResult, STACK, type TestService, httpRequest, startTestService } from '@gov/testing';
import { SupervisionModule } from '../app.module';
import type { Clock } from '../clock/clock';
import { type SupervisionConfig, loadSupervisionConfig } from '../config';
import { SUPERVISION_MIGRATIONS } from '../migrations';

export type TestSupervision = TestService<SupervisionConfig>;

/**
 * A throwaway supervision service for a test file: fresh database, migrations, its step-event consumers running under
 * a random consumer-group prefix (never the stack's), clock control on, and the background light scan slowed down so
 * tests drive `LightMonitor.scan()` themselves.
 */
export function startTestSupervision(env: Record<string, string> = {}, options: { consumers?: boolean; reuseDatabase?: string; clock?: Clock } = {}): Promise<TestSupervision> {
  return startTestService({
    consumers: options.consumers,
    reuseDatabase: options.reuseDatabase,
    service: 'supervision',
    loadConfig: loadSupervisionConfig,
    databaseKey: 'SUPERVISION_DB',
    migrations: SUPERVISION_MIGRATIONS,
    module: (config, logger) => SupervisionModule.forRoot(config, logger, options.clock),
    env: { SUPERVISION_PORT: '3004', CLOCK_CONTROL_ENABLED: 'true', LIGHT_SCAN_INTERVAL_MS: '3600000', LIGHT_SCAN_ON_START: 'false', PLATFORM_DEAD_LETTER_ALERTS: 'false', DEMO_SEED: 'false', ...env },
  });
}

export function http<T = Record<string, unknown>>(url: string, init: HttpInit = {}): Promise<HttpResult<T>> {
  return httpRequest<T>(url, init);
}

/** An access token of a demo user from the running identity. */
export async function tokenOf(username: string): Promise<string> {
  return (await demoLogin(STACK.identity, username)).access_token;
}

/** The organisation codes in a token (what OrgScope checks). */
export function orgsOf(token: string): string[] {
  return (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { orgs: string[] }).orgs;
}

/** The service's inbox consumer of step events (the real one the transport built), to hand it messages directly. */
export function stepsConsumer(t: TestSupervision): InboxConsumer {
  return consumerOf(t, 'supervision.steps');
}

/** The service's inbox consumer of one group (its name without the test prefix), e.g. `supervision.statistics`. */
export function consumerOf(t: TestSupervision, group: string): InboxConsumer {
  const [transport] = t.app.get<InboxTransport[]>(SERVICE_TRANSPORTS);
  const consumers = transport.unwrap<InboxConsumer[]>().filter((c) => c.group === group || c.group.endsWith(`.${group}`));
  if (consumers.length !== 1) throw new Error(`expected one consumer of ${group}, got ${consumers.length}`);
  return consumers[0];
}

let caseSeq = Math.floor(Math.random() * 900_000);
/** A case number no other test run uses. */
export function newCaseNumber(): string {
  return `TEST-20261201-${String(++caseSeq).padStart(6, '0')}${randomUUID().replace(/\D/g, '').slice(0, 6)}`;
}

export function stepEvent(
  type: 'gov.approval.step.opened' | 'gov.approval.step.completed' | 'gov.approval.step.cancelled',
  step: Partial<StepEvent> & { businessKey: string; taskId: string; candidateGroups: string[] },
) {
  const data: StepEvent = {
    processInstanceId: `pi-${step.businessKey}`,
    processDefinitionId: 'test:1:1',
    processDefinitionKey: 'test',
    taskDefinitionKey: 'review',
    name: '审查',
    assignee: null,
    timeLimitWorkingDays: 3,
    openedAt: new Date().toISOString(),
    completedAt: null,
    deleteReason: null,
    tenantId: null,
    ...step,
  };
  return makeEvent({ type, source: '/engine', subject: step.businessKey, data });
}

/** Delivers an event to the service's real inbox consumer, as Kafka would (decode, inbox, handler, one transaction). */
export async function deliver(t: TestSupervision, event: ReturnType<typeof stepEvent>, offset = '0'): Promise<void> {
  await stepsConsumer(t).handle({ topic: 'approval.step.v1', partition: 0, offset, key: event.subject, value: Buffer.from(JSON.stringify(event)), headers: {} });
}

/** Any platform event (case events, suspensions, fees ...), as its producer would publish it. */
export function anEvent<T extends EventType>(type: T, data: EventData<T>, subject: string) {
  return makeEvent({ type, source: '/test', subject, data });
}

let offsetSeq = 1000;
/** Delivers any event to the service's inbox consumer (a fresh offset each time unless given). */
export async function deliverAny(t: TestSupervision, event: { subject: string; type: string }, topic = 'test.v1', offset = String(++offsetSeq)): Promise<void> {
  await stepsConsumer(t).handle({ topic, partition: 0, offset, key: event.subject, value: Buffer.from(JSON.stringify(event)), headers: {} });
}

/** An acceptance (intake) for a case, with defaults for the fields a test does not care about. */
export function accepted(caseNumber: string, over: Partial<EventData<'gov.intake.application.accepted'>> = {}) {
  return anEvent(
    'gov.intake.application.accepted',
    {
      caseNumber,
      applicationId: randomUUID(),
      matterCode: 'DEMO-001',
      matterName: '演示事项',
      processKey: 'skeleton-approval',
      departmentCode: 'DEPT',
      tenantId: '449900',
      applicant: { kind: 'person', id: '110105194912310021', name: '张三' },
      acceptedAt: new Date().toISOString(),
      timeLimitWorkingDays: 20,
      form: {},
      ...over,
    },
    caseNumber,
  );
}
