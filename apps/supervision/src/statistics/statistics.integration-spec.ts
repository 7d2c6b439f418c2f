import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { Workbook } from 'exceljs';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import type { EventData, EventType } from '@gov/contracts';
import { SupervisionErrors } from '../errors';
import { DC_MARKET, MARKET, REGISTRY, acceptedData, deliverTo } from '../testing/supstats-fixtures';
import { type TestSupervision, http, newCaseNumber, startTestSupervision, tokenOf } from '../testing/test-app';
import type { StatisticsLine } from './statistics-export';

// Seed 002 §3: the supervision system compares departments (横向) and one department over periods (纵向).

const deliver = <T extends EventType>(t: TestSupervision, type: T, subject: string, data: EventData<T>, id?: string) => deliverTo(t, 'supervision.statistics', type, subject, data, id);
const accepted = acceptedData;

describe('statistics', () => {
  let t: TestSupervision;
  let supervisor: string;
  let handler: string;
  const onTime = newCaseNumber();
  const late = newCaseNumber();
  const open = newCaseNumber();
  const county = newCaseNumber();

  beforeAll(async () => {
    t = await startTestSupervision({}, { consumers: true });
    [supervisor, handler] = await Promise.all(['supervisor', 'handler.market'].map(tokenOf));
    // given four cases accepted in November 2026 (Mon 2 Nov, 10:00 CST), three at the city's market bureau, one at 东城区
    const acceptedEventId = randomUUID();
    await deliver(t, 'gov.intake.application.accepted', onTime, accepted(onTime, MARKET, '2026-11-02T02:00:00.000Z'), acceptedEventId);
    await deliver(t, 'gov.intake.application.accepted', onTime, accepted(onTime, MARKET, '2026-11-02T02:00:00.000Z'), acceptedEventId); // redelivered
    await deliver(t, 'gov.intake.application.accepted', late, accepted(late, MARKET, '2026-11-02T02:00:00.000Z'));
    await deliver(t, 'gov.intake.application.accepted', open, accepted(open, MARKET, '2026-11-03T02:00:00.000Z'));
    await deliver(t, 'gov.intake.application.accepted', county, accepted(county, DC_MARKET, '2026-11-03T02:00:00.000Z'));
    // the section's handler completes the last step of the on-time case
    await deliver(t, 'gov.approval.step.completed', onTime, {
      processInstanceId: `pi-${onTime}`, processDefinitionId: 'p:1:1', processDefinitionKey: 'p', businessKey: onTime, taskId: `t-${onTime}`, taskDefinitionKey: 'LeaderDecision', name: '审批',
      candidateGroups: [`leader:${REGISTRY}`], assignee: 'officer-liu', timeLimitWorkingDays: 1, openedAt: '2026-11-04T02:00:00.000Z', completedAt: '2026-11-06T02:00:00.000Z', deleteReason: null, tenantId: '449900',
    });
    // decided after 4 working days (Fri 6 Nov) and after 10 (Mon 16 Nov) against a 5-day limit
    await deliver(t, 'gov.approval.case.decided', onTime, { caseNumber: onTime, processInstanceId: `pi-${onTime}`, decision: 'approved', documentNumber: 'D-1', decidedAt: '2026-11-06T03:00:00.000Z' });
    await deliver(t, 'gov.approval.case.decided', late, { caseNumber: late, processInstanceId: `pi-${late}`, decision: 'rejected', documentNumber: 'D-2', decidedAt: '2026-11-16T03:00:00.000Z' });
    // a red light on the late case, a complaint about the market bureau, two ratings (one bad)
    await deliver(t, 'gov.supervision.alert.raised', late, {
      alertId: randomUUID(), level: 'red', caseNumber: late, stepId: `t-${late}`, taskDefinitionKey: 'HandlerReview', stepName: '审查', candidateGroups: [`handler:${MARKET}`],
      openedAt: '2026-11-02T02:00:00.000Z', deadline: '2026-11-09T09:00:00.000Z', raisedAt: '2026-11-09T09:00:01.000Z', hash: 'a'.repeat(64),
    });
    await deliver(t, 'gov.supervision.complaint.filed', late, { complaintId: randomUUID(), subjectKind: 'case', caseNumber: late, officerId: null, departmentCode: null, filedAt: '2026-11-17T02:00:00.000Z' });
    await deliver(t, 'gov.supervision.rating.submitted', onTime, { ratingId: randomUUID(), caseNumber: onTime, kind: 'service', grade: 5, indicatorSet: 'gov-2019-v1', ratedAt: '2026-11-07T02:00:00.000Z' });
    await deliver(t, 'gov.supervision.rating.submitted', late, { ratingId: randomUUID(), caseNumber: late, kind: 'service', grade: 1, indicatorSet: 'gov-2019-v1', ratedAt: '2026-11-17T02:00:00.000Z' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = <T>(path: string, token = supervisor) => http<T>(`${t.url}/statistics/${path}`, { token });

  it('compares departments in one month (横向): received, decided, on-time rate, working days, 提速率, reds, complaints, satisfaction', async () => {
    // when
    const res = await get<StatisticsLine[]>('horizontal?dimension=department&period=month&key=2026-11');
    // then
    expect(res.status).toBe(200);
    const market = res.body.find((l) => l.key === MARKET);
    expect(market).toMatchObject({
      received: 3,
      accepted: 3,
      decided: 2,
      onTimeRate: 0.5,
      avgWorkingDaysUsed: 7,
      p90WorkingDaysUsed: 10,
      avgStatutoryWorkingDays: 5,
      speedUpRate: -0.4,
      reds: 1,
      yellows: 0,
      complaints: 1,
      ratings: 2,
      avgRating: 3,
      satisfactionRate: 0.5,
    });
    expect(res.body.find((l) => l.key === DC_MARKET)).toMatchObject({ accepted: 1, decided: 0, onTimeRate: null });
  });

  it('follows one department over days (纵向), each figure in the period its event happened', async () => {
    // when
    const res = await get<StatisticsLine[]>(`vertical?dimension=department&key=${MARKET}&period=day&from=2026-11-01&to=2026-11-30`);
    // then
    expect(res.status).toBe(200);
    const byDay = Object.fromEntries(res.body.map((l) => [l.periodKey, l]));
    expect(byDay['2026-11-02']).toMatchObject({ accepted: 2, decided: 0 });
    expect(byDay['2026-11-03']).toMatchObject({ accepted: 1 });
    expect(byDay['2026-11-06']).toMatchObject({ decided: 1, onTimeRate: 1 });
    expect(byDay['2026-11-16']).toMatchObject({ decided: 1, onTimeRate: 0 });
    expect(byDay['2026-11-09']).toMatchObject({ reds: 1 });
  });

  it('keeps officer, section and region figures: the city counts both bureaus, 东城区 only its own', async () => {
    // when
    const [officers, sections, city, counties] = await Promise.all([
      get<StatisticsLine[]>('horizontal?dimension=officer&period=quarter&key=2026-Q4'),
      get<StatisticsLine[]>('horizontal?dimension=section&period=year&key=2026'),
      get<StatisticsLine[]>('horizontal?dimension=city&period=month&key=2026-11'),
      get<StatisticsLine[]>('horizontal?dimension=county&period=month&key=2026-11'),
    ]);
    // then
    expect(officers.body.find((l) => l.key === 'officer-liu')).toMatchObject({ decided: 1, onTimeRate: 1, ratings: 1 });
    expect(sections.body.find((l) => l.key === REGISTRY)).toMatchObject({ decided: 1 });
    expect(city.body.find((l) => l.key === '449900')).toMatchObject({ accepted: 4, decided: 2 });
    expect(counties.body.find((l) => l.key === '449901')).toMatchObject({ accepted: 1 });
  });

  it("limits a department leader to their own organisations and keeps region figures for the supervision office", async () => {
    // given a token of a handler (who may not read statistics at all) and of a leader of the market bureau
    const leader = await tokenOf('leader.market');
    // when
    const asHandler = await get('horizontal?dimension=department&period=month&key=2026-11', handler);
    const asLeader = await get<StatisticsLine[]>('horizontal?dimension=department&period=month&key=2026-11', leader);
    const regionAsLeader = await get<{ error: string }>('horizontal?dimension=city&period=month&key=2026-11', leader);
    // then
    expect(asHandler.status).toBe(403);
    expect(asLeader.status).toBe(200);
    expect(asLeader.body.map((l) => l.key)).toEqual([MARKET]);
    expect(regionAsLeader.status).toBe(400);
    expect(regionAsLeader.body.error).toBe(SupervisionErrors.code.BadStatisticsQuery);
  });

  it.each([
    ['an unknown period', 'horizontal?period=week&key=2026-11', 'period'],
    ['a key of the wrong period', 'horizontal?period=month&key=2026-Q4', 'key'],
    ['an unknown dimension', 'horizontal?dimension=planet&period=month&key=2026-11', 'dimension'],
    ['a repeated key', 'horizontal?period=month&key=2026-11&key=2026-12', 'key'],
    ['an unknown parameter', 'horizontal?period=month&key=2026-11&limit=5', 'query'],
    ['a range backwards', `vertical?key=${MARKET}&period=day&from=2026-11-30&to=2026-11-01`, 'to'],
    ['an unknown format', 'horizontal?period=month&key=2026-11&format=pdf', 'format'],
  ])('refuses %s with 400 naming the field', async (_name, path, field) => {
    // when
    const res = await get<{ error: string; details: { field: string } }>(path);
    // then
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(SupervisionErrors.code.BadStatisticsQuery);
    expect(res.body.details.field).toBe(field);
  });

  it('exports the comparison as CSV and XLSX that parse back to the same figures', async () => {
    // given
    const json = await get<StatisticsLine[]>('horizontal?dimension=department&period=month&key=2026-11');
    const fetchBytes = async (format: string) => {
      const res = await fetch(`${t.url}/statistics/horizontal?dimension=department&period=month&key=2026-11&format=${format}`, { headers: { authorization: `Bearer ${supervisor}` } });
      return { res, bytes: Buffer.from(await res.arrayBuffer()) };
    };
    // when
    const csv = await fetchBytes('csv');
    const xlsx = await fetchBytes('xlsx');
    // then CSV: a header row, one row per department, numbers as written in JSON
    expect(csv.res.headers.get('content-type')).toContain('text/csv');
    const rows = parse<Record<string, string>>(csv.bytes, { bom: true, columns: true });
    expect(rows).toHaveLength(json.body.length);
    const csvMarket = rows.find((r) => r['对象 key'] === MARKET);
    expect(csvMarket?.['办结 decided']).toBe('2');
    expect(csvMarket?.['按时办结率 onTimeRate']).toBe('0.5');
    expect(csvMarket?.['提速率 speedUpRate']).toBe('-0.4');
    // and XLSX
    const wb = new Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const decidedCol = header.indexOf('办结 decided') + 1;
    const keyCol = header.indexOf('对象 key') + 1;
    const marketRow = Array.from({ length: ws.rowCount - 1 }, (_, i) => ws.getRow(i + 2)).find((r) => r.getCell(keyCol).value === MARKET);
    expect(ws.rowCount - 1).toBe(json.body.length);
    expect(marketRow?.getCell(decidedCol).value).toBe(2);
  });

  it('renders the monthly report as a PDF with the Chinese font embedded', async () => {
    // when
    const res = await fetch(`${t.url}/statistics/reports/monthly?month=2026-11`, { headers: { authorization: `Bearer ${supervisor}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    // then
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(pdf.getTitle()).toBe('电子监察月度绩效报告 2026-11');
    const fonts = pdf.context
      .enumerateIndirectObjects()
      .map(([, o]) => o)
      .filter((o): o is PDFDict => o instanceof PDFDict && o.get(PDFName.of('Type')) === PDFName.of('Font'))
      .map((f) => String(f.get(PDFName.of('BaseFont'))));
    expect(fonts.some((f) => /NotoSansSC/.test(f))).toBe(true);
  });
});
