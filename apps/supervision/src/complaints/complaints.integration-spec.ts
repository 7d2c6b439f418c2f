import { WorkingCalendar } from '@gov/calendar';
import { KitErrors } from '@gov/service-kit';
import { SupervisionErrors } from '../errors';
import { MARKET } from '../testing/supstats-fixtures';
import { type TestSupervision, http, newCaseNumber, startTestSupervision, tokenOf } from '../testing/test-app';
import { TRACKING_CODE } from './complaint-flow';
import type { ComplaintDetail, ComplaintProgress, FiledComplaint } from './complaints.service';

// Seed 004 art. 12: the supervision office receives and handles complaints about units and their staff in online
// approval; issue 10 §6: register → assign → investigate → conclude → reply, each stage with a deadline.

interface ErrorBody {
  error: string;
  message: string;
  details?: { field?: string };
}

describe('complaints', () => {
  let t: TestSupervision;
  let supervisor: string;
  let applicant: string;
  let handler: string;
  const calendar = new WorkingCalendar([]);

  beforeAll(async () => {
    t = await startTestSupervision({ COMPLAINTS_PER_HOUR_PER_IP: '6' }, { consumers: false });
    [supervisor, applicant, handler] = await Promise.all(['supervisor', 'zhangsan', 'handler.market'].map(tokenOf));
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = <T>(path: string, body: unknown, token?: string) => http<T>(`${t.url}/complaints${path}`, { body, token });

  it('runs a complaint through register, assign, investigate, conclude and reply; the complainant follows it by its code', async () => {
    // given an applicant's complaint about a case
    const caseNumber = newCaseNumber();
    const filed = await post<FiledComplaint>('', { subjectKind: 'case', caseNumber, content: '窗口人员要求提供清单外的材料，拖延受理。' }, applicant);
    expect(filed.status).toBe(201);
    expect(filed.body.trackingCode).toMatch(TRACKING_CODE);
    expect(filed.body.stage).toBe('registered');
    // its first deadline: 2 working days from filing
    expect(filed.body.stageDeadline).toBe(calendar.deadline(new Date(filed.body.filedAt), 2).toISOString());
    const id = filed.body.id;
    // when the office moves it through its flow
    const assigned = await post<ComplaintDetail>(`/${id}/assign`, { assignee: '监察室赵监察' }, supervisor);
    const outOfOrder = await post<ErrorBody>(`/${id}/reply`, { note: '太早了' }, supervisor);
    const investigating = await post<ComplaintDetail>(`/${id}/investigate`, { note: '调取受理记录，约谈窗口人员' }, supervisor);
    const concluded = await post<ComplaintDetail>(`/${id}/conclude`, { conclusion: '投诉属实，已责令整改', substantiated: true }, supervisor);
    const replied = await post<ComplaintDetail>(`/${id}/reply`, { note: '您反映的问题属实，已责令市场监管局整改并通报。' }, supervisor);
    const again = await post<ErrorBody>(`/${id}/reply`, { note: '再次答复' }, supervisor);
    // then each stage has its deadline, a move out of order is refused, and the complainant sees the reply
    expect(assigned.status).toBe(200);
    expect(assigned.body.stage).toBe('assigned');
    expect(assigned.body.stages.at(-1)?.deadline).toBe(calendar.deadline(new Date(assigned.body.stages.at(-1)!.at), 3).toISOString());
    expect(outOfOrder.status).toBe(409);
    expect(outOfOrder.body.error).toBe(SupervisionErrors.code.ComplaintStageConflict);
    expect(investigating.body.stage).toBe('investigating');
    expect(investigating.body.stageDeadline).toBe(calendar.deadline(new Date(investigating.body.stages.at(-1)!.at), 15).toISOString());
    expect(concluded.body).toMatchObject({ stage: 'concluded', substantiated: true });
    expect(replied.body).toMatchObject({ stage: 'replied', stageDeadline: null });
    expect(again.status).toBe(409);
    const tracked = await http<ComplaintProgress>(`${t.url}/complaints/track/${filed.body.trackingCode}`);
    expect(tracked.status).toBe(200);
    expect(tracked.body.stage).toBe('replied');
    expect(tracked.body.reply).toBe('您反映的问题属实，已责令市场监管局整改并通报。');
    expect(tracked.body.history.map((h) => h.stage)).toEqual(['registered', 'assigned', 'investigating', 'concluded', 'replied']);
    expect(JSON.stringify(tracked.body)).not.toContain('约谈窗口人员');
    // and every step was announced for the statistics
    const events = await t.ownerQuery<{ type: string }>(`SELECT type FROM outbox WHERE payload->'data'->>'complaintId' = $1 ORDER BY seq`, [id]);
    expect(events.map((e) => e.type)).toEqual(['gov.supervision.complaint.filed', ...Array(4).fill('gov.supervision.complaint.advanced')]);
  });

  it('takes an anonymous complaint about a department with a contact, and refuses one without', async () => {
    // when
    const withContact = await post<FiledComplaint>('', { subjectKind: 'department', departmentCode: MARKET, content: '办事指南与窗口要求不一致，多次往返。', contact: '13800138000' });
    const without = await post<ErrorBody>('', { subjectKind: 'department', departmentCode: MARKET, content: '办事指南与窗口要求不一致，多次往返。' });
    const noSubject = await post<ErrorBody>('', { subjectKind: 'officer', content: '某工作人员态度恶劣，拒绝解释。', contact: 'a@example.cn' });
    // then
    expect(withContact.status).toBe(201);
    expect(without.status).toBe(400);
    expect(without.body).toMatchObject({ error: SupervisionErrors.code.ComplaintSubjectInvalid, details: { field: 'contact' } });
    expect(noSubject.status).toBe(400);
    expect(noSubject.body.details?.field).toBe('officerId');
  });

  it.each([
    ['an unknown subject kind', { subjectKind: 'weather', content: '今天天气不好，很不满意。', contact: '13800138000' }],
    ['a content too short', { subjectKind: 'department', departmentCode: MARKET, content: '差', contact: '13800138000' }],
    ['a malformed department code', { subjectKind: 'department', departmentCode: 'market', content: '办事指南与窗口要求不一致。', contact: '13800138000' }],
    ['a contact that is neither phone nor e-mail', { subjectKind: 'department', departmentCode: MARKET, content: '办事指南与窗口要求不一致。', contact: 'call me' }],
  ])('refuses %s with 400 and files nothing', async (_name, body) => {
    // given
    const [{ n: before }] = await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM complaints`);
    // when
    const res = await post<ErrorBody>('', body);
    // then
    expect(res.status).toBe(400);
    const [{ n: after }] = await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM complaints`);
    expect(after).toBe(before);
  });

  it('keeps the flow to the supervision office and unknown codes unanswered', async () => {
    // given
    const filed = await post<FiledComplaint>('', { subjectKind: 'department', departmentCode: MARKET, content: '收费与公示标准不一致，要求退还。', contact: '13800138001' });
    // when
    const byHandler = await post<ErrorBody>(`/${filed.body.id}/assign`, { assignee: '自己' }, handler);
    const unknown = await http<ErrorBody>(`${t.url}/complaints/track/TS-2222-3333-4444`);
    const malformed = await http<ErrorBody>(`${t.url}/complaints/track/not-a-code`);
    const badId = await post<ErrorBody>('/not-a-uuid/assign', { assignee: 'x' }, supervisor);
    // then
    expect(byHandler.status).toBe(403);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe(SupervisionErrors.code.TrackingCodeUnknown);
    expect(malformed.status).toBe(404);
    expect(badId.status).toBe(400);
    expect(badId.body.error).toBe(KitErrors.code.InvalidParameter);
  });

  it('limits filings per client address and says when to retry', async () => {
    // when more complaints come from one address than the hourly budget allows
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      const res = await post<ErrorBody>('', { subjectKind: 'department', departmentCode: MARKET, content: `第${i}次投诉：窗口排队时间过长。`, contact: '13800138002' });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    // then the budget's excess is refused with 429 and Retry-After
    expect(statuses).toContain(429);
    expect(statuses.indexOf(429)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
