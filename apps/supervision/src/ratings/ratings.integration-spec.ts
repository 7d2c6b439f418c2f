import { WorkingCalendar } from '@gov/calendar';
import { SupervisionErrors } from '../errors';
import { MARKET, ZHANGSAN_ID, acceptedData, deliverTo } from '../testing/supstats-fixtures';
import { type TestSupervision, http, newCaseNumber, startTestSupervision, tokenOf } from '../testing/test-app';
import type { RatingView, RectificationView } from './ratings.service';

// 好差评 (国办发〔2019〕51号): the applicant rates a case on five grades on the versioned national indicator set; a bad
// rating is rectified within a set time (5 working days here by default) and the applicant rates the rectification.

interface ErrorBody {
  error: string;
  details?: { field?: string; status?: string };
}

const GOOD = { overall: 5, efficiency: 5, guideAccuracy: 4, convenience: 5, usability: 4 };
const BAD = { overall: 1, efficiency: 2, guideAccuracy: 3, convenience: 1, usability: 2 };

describe('service ratings', () => {
  let t: TestSupervision;
  let zhangsan: string;
  let lisi: string;
  let leader: string;
  const decided = newCaseNumber();
  const undecided = newCaseNumber();
  const good = newCaseNumber();

  beforeAll(async () => {
    t = await startTestSupervision({}, { consumers: true });
    [zhangsan, lisi, leader] = await Promise.all(['zhangsan', 'lisi', 'leader.market'].map(tokenOf));
    // given three of 张三's cases at the market bureau, two decided
    for (const c of [decided, undecided, good]) {
      await deliverTo(t, 'supervision.ratings', 'gov.intake.application.accepted', c, acceptedData(c, MARKET, '2026-11-02T02:00:00.000Z', 5, ZHANGSAN_ID));
    }
    for (const c of [decided, good]) {
      await deliverTo(t, 'supervision.ratings', 'gov.approval.case.decided', c, { caseNumber: c, processInstanceId: `pi-${c}`, decision: 'approved', documentNumber: `D-${c}`, decidedAt: '2026-11-06T03:00:00.000Z' });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const rate = (caseNumber: string, grades: Record<string, unknown>, token = zhangsan, indicatorSet = 'gov-2019-v1') => http<RatingView & ErrorBody>(`${t.url}/ratings`, { body: { caseNumber, indicatorSet, grades }, token });

  it('takes a good rating of a decided case once, with no rectification, and announces it', async () => {
    // when
    const first = await rate(good, GOOD);
    const second = await rate(good, GOOD);
    // then
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ caseNumber: good, grade: 5, bad: false, rectification: null });
    expect(second.status).toBe(409);
    expect(second.body.error).toBe(SupervisionErrors.code.AlreadyRated);
    const events = await t.ownerQuery<{ type: string; grade: number }>(`SELECT type, (payload->'data'->>'grade')::int AS grade FROM outbox WHERE key = $1`, [good]);
    expect(events).toEqual([{ type: 'gov.supervision.rating.submitted', grade: 5 }]);
  });

  it('follows a bad rating through its rectification: opened with a 5-working-day deadline, done by the department, rated by the applicant', async () => {
    // when 张三 rates badly
    const bad = await rate(decided, BAD);
    // then a rectification is open, due 5 working days later
    expect(bad.status).toBe(201);
    expect(bad.body).toMatchObject({ grade: 1, bad: true });
    const rect = bad.body.rectification!;
    expect(rect).toMatchObject({ status: 'open', departmentCode: MARKET, caseNumber: decided });
    expect(rect.deadline).toBe(new WorkingCalendar([]).deadline(new Date(rect.openedAt), 5).toISOString());
    // and the applicant cannot rate it before it is done
    const early = await http<ErrorBody>(`${t.url}/ratings/rectifications/${rect.id}/rating`, { body: { grade: 4 }, token: zhangsan });
    expect(early.status).toBe(409);
    expect(early.body.error).toBe(SupervisionErrors.code.RectificationStateConflict);
    // when the department's leader sees it in the open list and reports it done
    const open = await http<RectificationView[]>(`${t.url}/ratings/rectifications?status=open`, { token: leader });
    expect(open.body.map((r) => r.id)).toContain(rect.id);
    const done = await http<RectificationView>(`${t.url}/ratings/rectifications/${rect.id}/complete`, { body: { action: '回访申请人，说明材料要求并改进办事指南。' }, token: leader });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('done');
    // and 张三 rates the rectification (another applicant may not)
    const byOther = await http<ErrorBody>(`${t.url}/ratings/rectifications/${rect.id}/rating`, { body: { grade: 5 }, token: lisi });
    const followUp = await http<RatingView>(`${t.url}/ratings/rectifications/${rect.id}/rating`, { body: { grade: 4 }, token: zhangsan });
    // then
    expect(byOther.status).toBe(403);
    expect(followUp.status).toBe(201);
    expect(followUp.body).toMatchObject({ kind: 'rectification', grade: 4, rectification: { status: 'rated' } });
    const seen = await http<RectificationView>(`${t.url}/ratings/rectifications/${rect.id}`, { token: zhangsan });
    expect(seen.body).toMatchObject({ status: 'rated', followUpRatingId: followUp.body.id });
    const kinds = await t.ownerQuery<{ kind: string }>(`SELECT payload->'data'->>'kind' AS kind FROM outbox WHERE key = $1 AND type = 'gov.supervision.rating.submitted' ORDER BY seq`, [decided]);
    expect(kinds.map((k) => k.kind)).toEqual(['service', 'rectification']);
  });

  it('refuses a rating of an undecided case, of another applicant’s case, or off the indicator set', async () => {
    // when
    const notDecided = await rate(undecided, GOOD);
    const notOwn = await rate(good, GOOD, lisi);
    const unknownSet = await rate(undecided, GOOD, zhangsan, 'gov-1999-v0');
    const missing = await rate(undecided, { overall: 5 });
    const outOfRange = await rate(undecided, { ...GOOD, efficiency: 6 });
    const extra = await rate(undecided, { ...GOOD, mood: 3 });
    // then
    expect(notDecided.status).toBe(409);
    expect(notDecided.body.error).toBe(SupervisionErrors.code.CaseNotRateable);
    expect(notOwn.status).toBe(403);
    expect(unknownSet.body).toMatchObject({ error: SupervisionErrors.code.IndicatorSetMismatch, details: { field: 'indicatorSet' } });
    expect(missing.body.details?.field).toBe('grades.efficiency');
    expect(outOfRange.body.details?.field).toBe('grades.efficiency');
    expect(extra.body.details?.field).toBe('grades.mood');
    for (const r of [unknownSet, missing, outOfRange, extra]) expect(r.status).toBe(400);
  });

  it('publishes the indicator set with its version and the five grades', async () => {
    const res = await http<{ current: string; grades: Record<string, string>; sets: Array<{ version: string; indicators: unknown[] }> }>(`${t.url}/ratings/indicator-sets`);
    expect(res.status).toBe(200);
    expect(res.body.current).toBe('gov-2019-v1');
    expect(Object.keys(res.body.grades)).toHaveLength(5);
    expect(res.body.sets.find((s) => s.version === res.body.current)?.indicators).toHaveLength(5);
  });
});
