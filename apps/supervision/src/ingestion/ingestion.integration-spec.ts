import type { ExchangeRecordData } from '@gov/contracts';
import { LightMonitor } from '../alerts/light-monitor.service';
import { SupervisionErrors } from '../errors';
import { DC_MARKET, MARKET, deliverRaw } from '../testing/supstats-fixtures';
import { type TestSupervision, http, newCaseNumber, startTestSupervision, tokenOf } from '../testing/test-app';
import type { BatchResult, RecordError } from './ingestion.service';

// Seed 001 text 10 §(五): departments that run their own approval systems exchange their data with the city's
// e-supervision system daily, to its data exchange standard. Issue 10 §8: validated, deduplicated, never half
// applied, and fed to the same clocks, lights, rules and statistics as native cases.

interface Refusal {
  error: string;
  details: { errors: RecordError[]; errorCount: number };
}

function records(caseNumber: string, prefix: string): ExchangeRecordData[] {
  return [
    {
      kind: 'case.accepted', recordId: `${prefix}-1`, caseNumber, departmentCode: MARKET, occurredAt: '2026-11-02T02:00:00.000Z',
      matterCode: 'SCJG-EXT-9', matterName: '户外广告设置许可', applicant: { kind: 'person', id: '11010519491231002X', name: '王五' }, statutoryLimitWorkingDays: 10,
    },
    {
      kind: 'step.opened', recordId: `${prefix}-2`, caseNumber, departmentCode: MARKET, occurredAt: '2026-11-02T02:00:00.000Z',
      stepId: `${prefix}-step-1`, stepKey: 'review', stepName: '承办人审查', candidateGroups: [`handler:${MARKET}`], timeLimitWorkingDays: 1,
    },
  ];
}

describe('ingestion of departments’ own systems', () => {
  let t: TestSupervision;
  let clerk: string;
  let applicant: string;

  beforeAll(async () => {
    t = await startTestSupervision({}, { consumers: true });
    [clerk, applicant] = await Promise.all(['clerk.market', 'zhangsan'].map(tokenOf));
  });
  afterAll(async () => {
    await t?.close();
  });

  const send = <T>(body: unknown, token = clerk) => http<T>(`${t.url}/ingestion/batches`, { body, token });
  const count = async (table: string) => (await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  it('turns each record into the native event; the ingested step feeds the step clock and lights red once overdue', async () => {
    // given
    const caseNumber = newCaseNumber();
    // when the bureau's own system sends an acceptance and an opened 1-working-day step (Mon 2 Nov 2026)
    const res = await send<BatchResult>({ system: 'market-approval-v3', records: records(caseNumber, caseNumber) });
    // then both are applied and written to the outbox as intake's and the engine's own event types
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ system: 'market-approval-v3', received: 2, applied: 2, duplicates: 0 });
    const outbox = await t.ownerQuery<{ type: string; topic: string; payload: { source: string; subject: string; type: string; data: Record<string, unknown> } }>(
      `SELECT type, topic, payload FROM outbox WHERE key = $1 ORDER BY seq`,
      [caseNumber],
    );
    expect(outbox.map((o) => [o.type, o.topic])).toEqual([
      ['gov.intake.application.accepted', 'intake.application.v1'],
      ['gov.approval.step.opened', 'approval.step.v1'],
    ]);
    expect(outbox[1].payload.source).toBe('/supervision/ingestion/market-approval-v3');
    expect(outbox[1].payload.data).toMatchObject({ businessKey: caseNumber, taskId: `ext:${MARKET}:${caseNumber}-step-1`, timeLimitWorkingDays: 1, candidateGroups: [`handler:${MARKET}`] });
    // when supervision's own step consumer receives that event (as it will from Kafka) and the light monitor scans
    await deliverRaw(t, 'supervision.steps', outbox[1].payload);
    const steps = await t.ownerQuery<{ deadline: Date }>(`SELECT deadline FROM steps WHERE case_number = $1`, [caseNumber]);
    expect(steps).toHaveLength(1);
    await t.app.get(LightMonitor).scan();
    // then the ingested step is red, like a native one
    const alerts = await t.ownerQuery<{ level: string }>(`SELECT level FROM alerts WHERE case_number = $1`, [caseNumber]);
    expect(alerts.map((a) => a.level)).toEqual(['red']);
  });

  it('skips records sent before (same department and record id) and applies only the new ones', async () => {
    // given
    const caseNumber = newCaseNumber();
    await send({ system: 'market-approval-v3', records: records(caseNumber, caseNumber) });
    const decided: ExchangeRecordData = { kind: 'case.decided', recordId: `${caseNumber}-3`, caseNumber, departmentCode: MARKET, occurredAt: '2026-11-05T02:00:00.000Z', decision: 'approved', documentNumber: '示市监广许〔2026〕1号' };
    // when the system resends them with one new record
    const res = await send<BatchResult>({ system: 'market-approval-v3', records: [...records(caseNumber, caseNumber), decided] });
    // then
    expect(res.body).toMatchObject({ received: 3, applied: 1, duplicates: 2 });
    const types = await t.ownerQuery<{ type: string }>(`SELECT type FROM outbox WHERE key = $1 ORDER BY seq`, [caseNumber]);
    expect(types.map((x) => x.type)).toEqual(['gov.intake.application.accepted', 'gov.approval.step.opened', 'gov.approval.case.decided']);
  });

  it('refuses a batch with bad records whole, naming each bad line and its reason, and applies none of it', async () => {
    // given a good record, one missing its step key, one for a department the sender is not, and a repeated id
    const caseNumber = newCaseNumber();
    const [good, step] = records(caseNumber, caseNumber);
    const { stepKey: _dropped, ...noKey } = step as Extract<ExchangeRecordData, { kind: 'step.opened' }>;
    const foreign = { ...step, recordId: `${caseNumber}-9`, departmentCode: DC_MARKET };
    const before = { records: await count('ingested_records'), outbox: await count('outbox') };
    // when
    const res = await send<Refusal>({ system: 'market-approval-v3', records: [good, noKey, foreign, good, { kind: 'case.teleported' }] });
    // then
    expect(res.status).toBe(422);
    expect(res.body.error).toBe(SupervisionErrors.code.IngestionBatchRefused);
    expect(res.body.details.errors.map((e) => [e.line, e.field])).toEqual([
      [2, 'stepKey'],
      [3, 'departmentCode'],
      [4, 'recordId'],
      [5, 'kind'],
    ]);
    expect(res.body.details.errors[0].recordId).toBe(`${caseNumber}-2`);
    expect({ records: await count('ingested_records'), outbox: await count('outbox') }).toEqual(before);
  });

  it.each([
    ['no records', { system: 'market-approval-v3', records: [] }, 'records'],
    ['no system', { records: [{}] }, 'system'],
    ['records that are not a list', { system: 'x', records: 'all of them' }, 'records'],
  ])('refuses a batch with %s', async (_name, body, field) => {
    const res = await send<Refusal & { details: { field: string } }>(body);
    expect(res.status).toBe(422);
    expect(res.body.details.field).toBe(field);
  });

  it('publishes the exchange format: JSON Schema at /ingestion/format and in the OpenAPI request body', async () => {
    // when
    const format = await http<{ kinds: string[]; schemas: { ExchangeRecord: { oneOf: unknown[] } } }>(`${t.url}/ingestion/format`, { token: clerk });
    const openapi = await http<{ paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: { properties: { records: { items: { oneOf: unknown[] } } } } }> } } }> }>(`${t.url}/docs-json`);
    // then
    expect(format.body.kinds).toEqual(['case.accepted', 'step.opened', 'step.completed', 'case.decided']);
    expect(format.body.schemas.ExchangeRecord.oneOf).toHaveLength(4);
    const body = openapi.body.paths['/ingestion/batches']?.post?.requestBody?.content['application/json'];
    expect(body?.schema.properties.records.items.oneOf).toHaveLength(4);
  });

  it('takes records only from officers of the department or service credentials', async () => {
    // when an applicant sends records
    const res = await send({ system: 'market-approval-v3', records: records(newCaseNumber(), 'x') }, applicant);
    // then
    expect(res.status).toBe(403);
  });
});
