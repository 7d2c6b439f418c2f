import { randomUUID } from 'node:crypto';
import { WorkingCalendar } from '@gov/calendar';
import { ConsultationAnswered, ConsultationAsked, ConsultationOverdue } from '@gov/contracts';
import { AdjustableClock } from '../clock/clock';
import { IntakeErrors } from '../errors';
import { DEMO_MATTER, type Refusal, type TestIntake, USERS, fieldsNamed, http, publishTestMatter, startTestIntake, tokenOf } from '../testing/test-app';
import { ConsultationSweeper } from './consultation-sweeper';

// Issue 8 §5 (咨询): applicants ask questions about a matter; the department answers within a configurable time (working
// days); supervision sees unanswered ones (asked / answered with dueAt / overdue events). Seed 004 art. 4: 网上审批系统具有
// 办事指南、表格下载、网上申报、网上审批、结果反馈和服务咨询等功能; seed 001 (区级平台): each matter names 受理咨询与投诉的机构.

interface Consultation {
  id: string;
  matterCode: string;
  departmentCode: string;
  caseNumber: string | null;
  asker: string;
  question: string;
  askedAt: string;
  dueAt: string;
  state: string;
  answer: string | null;
  answeredAt: string | null;
  answeredBy: string | null;
  public: boolean;
  contact?: string | null;
  contactName?: string | null;
  accessCode?: string;
}
interface Page<T> {
  items: T[];
  total: number;
}

const DONGCHENG_MARKET = '11449901000000011P';
const DONGCHENG_MATTER = 'TEST-DCSCJG-002';
const SECRET_MATTER = 'TEST-SCJG-SECRET';
const ASK_LIMIT = 4;
const calendar = new WorkingCalendar();
const QUESTION = '个体工商户办理食品经营许可需要提供从业人员健康证明吗？';

describe('consultations (咨询) over HTTP', () => {
  let t: TestIntake;
  const clock = new AdjustableClock();
  const tokens: Record<string, string> = {};
  let sweeper: ConsultationSweeper;

  const ask = (as: string, body: unknown, key: string = randomUUID()) => http<Consultation & Refusal>(`${t.url}/consultations`, { token: tokens[as], body, headers: { 'idempotency-key': key } });
  const askAnonymously = (code: string, body: unknown, key: string = randomUUID()) => http<Consultation & Refusal>(`${t.url}/guide/matters/${code}/consultations`, { body, headers: { 'idempotency-key': key } });
  const answer = (as: string, id: string, body: unknown, key: string = randomUUID()) => http<Consultation & Refusal>(`${t.url}/consultations/${id}/answer`, { token: tokens[as], body, headers: { 'idempotency-key': key } });
  const events = (id: string) => t.ownerQuery<{ type: string; payload: { data: Record<string, unknown> } }>('SELECT type, payload FROM outbox WHERE key = $1 ORDER BY seq', [id]);
  const count = async () => (await t.ownerQuery<{ n: number }>('SELECT count(*)::int AS n FROM consultations'))[0].n;
  const asked = async (as: string = USERS.zhangsan, body: unknown = { matterCode: DEMO_MATTER, question: QUESTION }) => {
    const res = await ask(as, body);
    expect(res.status).toBe(201);
    return res.body;
  };
  const resetRateLimits = () => t.ownerQuery('DELETE FROM rate_limits');

  beforeAll(async () => {
    t = await startTestIntake({ CONSULTATION_BUREAU_DAYS: JSON.stringify({ '449901': 3 }), CONSULTATION_ASK_RATE_PER_IP: String(ASK_LIMIT) }, clock);
    sweeper = t.app.get(ConsultationSweeper, { strict: false });
    await publishTestMatter(t, DONGCHENG_MATTER, '449901', { name: '东城区食品经营许可（测试）', departmentCode: DONGCHENG_MARKET, promisedWorkingDays: 5 });
    await publishTestMatter(t, SECRET_MATTER, '449900', { name: '涉密事项（测试）', secret: true, onlineClass: 'C' });
    for (const user of [USERS.zhangsan, USERS.lisi, USERS.clerk, USERS.otherClerk, USERS.handler]) tokens[user] = await tokenOf(user);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('ask and answer', () => {
    it('lets an applicant ask, the department answer within 2 working days, and the asker read the answer', async () => {
      // when
      const question = await asked();
      const queue = await http<Page<Consultation>>(`${t.url}/consultations/queue`, { token: tokens[USERS.clerk] });
      const answered = await answer(USERS.clerk, question.id, { answer: '需要。从事接触直接入口食品工作的从业人员应当取得健康证明。', public: true });
      const mine = await http<Page<Consultation>>(`${t.url}/consultations/mine`, { token: tokens[USERS.zhangsan] });
      // then
      expect(question).toMatchObject({ matterCode: DEMO_MATTER, asker: 'applicant', state: 'unanswered', answer: null });
      expect(question.dueAt).toBe(calendar.deadline(new Date(question.askedAt), 2).toISOString());
      expect(queue.body.items.map((c) => c.id)).toContain(question.id);
      expect(answered.status).toBe(200);
      expect(answered.body).toMatchObject({ state: 'answered', public: true });
      expect(mine.body.items.find((c) => c.id === question.id)).toMatchObject({ state: 'answered', answer: '需要。从事接触直接入口食品工作的从业人员应当取得健康证明。' });
      const types = (await events(question.id)).map((e) => e.type);
      expect(types).toEqual(['gov.intake.consultation.asked', 'gov.intake.consultation.answered']);
      const [askedEvent, answeredEvent] = await events(question.id);
      expect(ConsultationAsked.parse(askedEvent.payload.data)).toMatchObject({ consultationId: question.id, dueAt: question.dueAt, asker: 'applicant' });
      expect(ConsultationAnswered.parse(answeredEvent.payload.data)).toMatchObject({ consultationId: question.id, dueAt: question.dueAt, late: false, public: true });
    });

    it('shows answers the department made public in the matter\'s FAQ, without the asker, and not the others', async () => {
      // given
      const shown = await asked();
      const hidden = await asked(USERS.lisi, { matterCode: DEMO_MATTER, question: '食品经营许可证到期后怎么延续？' });
      await answer(USERS.clerk, shown.id, { answer: '公开的答复内容。', public: true });
      await answer(USERS.clerk, hidden.id, { answer: '不公开的答复内容。' });
      // when
      const faq = await http<Page<{ id: string; question: string; answer: string }> & Record<string, unknown>>(`${t.url}/guide/matters/${DEMO_MATTER}/faq`);
      // then
      expect(faq.status).toBe(200);
      const ids = faq.body.items.map((i) => i.id);
      expect(ids).toContain(shown.id);
      expect(ids).not.toContain(hidden.id);
      expect(JSON.stringify(faq.body)).not.toMatch(/contact|asker|张三/);
    });

    it('answers a question once: a second answer is refused and the first kept; a retry with the same key replays', async () => {
      // given
      const question = await asked();
      const key = randomUUID();
      const first = await answer(USERS.clerk, question.id, { answer: '第一次答复。' }, key);
      // when
      const retried = await answer(USERS.clerk, question.id, { answer: '第一次答复。' }, key);
      const again = await answer(USERS.clerk, question.id, { answer: '第二次答复。' });
      // then
      expect(first.status).toBe(200);
      expect(retried.status).toBe(200);
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect(again.status).toBe(409);
      expect(again.body.error).toBe(IntakeErrors.code.ConsultationAlreadyAnswered);
      const [row] = await t.ownerQuery<{ answer: string }>('SELECT answer FROM consultations WHERE id = $1', [question.id]);
      expect(row.answer).toBe('第一次答复。');
    });

    it('replays a retried question with the same key and refuses the key for another question', async () => {
      // given
      const key = randomUUID();
      const first = await ask(USERS.zhangsan, { matterCode: DEMO_MATTER, question: QUESTION }, key);
      const before = await count();
      // when
      const retried = await ask(USERS.zhangsan, { matterCode: DEMO_MATTER, question: QUESTION }, key);
      const reused = await ask(USERS.zhangsan, { matterCode: DEMO_MATTER, question: '另一个问题：办理需要多久？' }, key);
      // then
      expect(first.status).toBe(201);
      expect(retried.status).toBe(201);
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect(retried.body.id).toBe(first.body.id);
      expect(reused.status).toBe(409);
      expect(reused.body.error).toBe(IntakeErrors.code.IdempotencyKeyReused);
      expect(await count()).toBe(before);
      expect((await events(first.body.id)).filter((e) => e.type === 'gov.intake.consultation.asked')).toHaveLength(1);
    });

    it('gives a bureau its own answer period (CONSULTATION_BUREAU_DAYS)', async () => {
      // when
      const county = await asked(USERS.zhangsan, { matterCode: DONGCHENG_MATTER, question: QUESTION });
      // then
      expect(county.departmentCode).toBe(DONGCHENG_MARKET);
      expect(county.dueAt).toBe(calendar.deadline(new Date(county.askedAt), 3).toISOString());
    });
  });

  describe('the public FAQ', () => {
    it('lets the department hide and show an answered question in the FAQ, but not publish an unanswered one', async () => {
      // given
      const question = await asked();
      await answer(USERS.clerk, question.id, { answer: '可以在网上申报。', public: true });
      const unanswered = await asked();
      const publication = (id: string, as: string, body: unknown) => http<Consultation & Refusal>(`${t.url}/consultations/${id}/publication`, { method: 'PUT', token: tokens[as], body });
      const faqIds = async () => (await http<Page<{ id: string }>>(`${t.url}/guide/matters/${DEMO_MATTER}/faq?limit=100`)).body.items.map((i) => i.id);
      // when
      const hidden = await publication(question.id, USERS.clerk, { public: false });
      const afterHide = await faqIds();
      const otherOrg = await publication(question.id, USERS.otherClerk, { public: true });
      const afterOther = await faqIds();
      const early = await publication(unanswered.id, USERS.clerk, { public: true });
      const shown = await publication(question.id, USERS.clerk, { public: true });
      const bad = await publication(question.id, USERS.clerk, { public: 'maybe' });
      // then
      expect(hidden.status).toBe(200);
      expect(afterHide).not.toContain(question.id);
      expect(otherOrg.status).toBe(403);
      expect(afterOther).not.toContain(question.id);
      expect(early.status).toBe(409);
      expect(early.body.error).toBe(IntakeErrors.code.ConsultationNotAnswered);
      expect(shown.status).toBe(200);
      expect(await faqIds()).toContain(question.id);
      expect(bad.status).toBe(400);
      expect(fieldsNamed(bad.body)).toContain('public');
    });

    it('answers the FAQ of an unknown or secret matter as not found', async () => {
      // when
      const unknown = await http<Refusal>(`${t.url}/guide/matters/TEST-NO-SUCH-001/faq`);
      const secret = await http<Refusal>(`${t.url}/guide/matters/${SECRET_MATTER}/faq`);
      const malformed = await http<Refusal>(`${t.url}/guide/matters/bad%20code/faq`);
      // then
      expect(unknown.status).toBe(404);
      expect(secret.status).toBe(404);
      expect(malformed.status).toBe(400);
      expect(fieldsNamed(malformed.body)).toContain('param.code');
    });
  });

  describe('organisation boundaries', () => {
    it('refuses an officer of another organisation: no answer, not in their queue, not readable; the asker alone sees theirs', async () => {
      // given
      const question = await asked();
      // when
      const otherAnswer = await answer(USERS.otherClerk, question.id, { answer: '越权答复。' });
      const otherRead = await http<Refusal>(`${t.url}/consultations/${question.id}`, { token: tokens[USERS.otherClerk] });
      const otherQueue = await http<Page<Consultation>>(`${t.url}/consultations/queue?state=all&limit=100`, { token: tokens[USERS.otherClerk] });
      const handlerAnswer = await answer(USERS.handler, question.id, { answer: '越权答复。' });
      const otherApplicant = await http<Refusal>(`${t.url}/consultations/${question.id}`, { token: tokens[USERS.lisi] });
      const applicantAnswer = await answer(USERS.zhangsan, question.id, { answer: '自问自答。' });
      // then
      expect(otherAnswer.status).toBe(403);
      expect(otherAnswer.body.error).toBe(IntakeErrors.code.OutsideOrganisation);
      expect(otherRead.status).toBe(403);
      expect(otherQueue.body.items.map((c) => c.id)).not.toContain(question.id);
      expect(handlerAnswer.status).toBe(403);
      expect(otherApplicant.status).toBe(404);
      expect(otherApplicant.body.error).toBe(IntakeErrors.code.ConsultationNotFound);
      expect(applicantAnswer.status).toBe(403);
      const [row] = await t.ownerQuery<{ answered_at: Date | null }>('SELECT answered_at FROM consultations WHERE id = $1', [question.id]);
      expect(row.answered_at).toBeNull();
    });

    it("refuses a case number that is not the asker's own application, as not found", async () => {
      // given
      const before = await count();
      // when
      const res = await ask(USERS.zhangsan, { matterCode: DEMO_MATTER, question: QUESTION, caseNumber: '449900-20261202-999999' });
      // then
      expect(res.status).toBe(404);
      expect(res.body.error).toBe(IntakeErrors.code.ApplicationNotFound);
      expect(fieldsNamed(res.body)).toContain('caseNumber');
      expect(await count()).toBe(before);
    });
  });

  describe('overdue (the injectable clock)', () => {
    it('emits gov.intake.consultation.overdue once when the due time passes unanswered, even with two sweeps at once', async () => {
      // given
      const late = await asked();
      const onTime = await asked();
      await answer(USERS.clerk, onTime.id, { answer: '按时答复。' });
      const before = await sweeper.sweep();
      // when the due time passes
      clock.advance(new Date(late.dueAt).getTime() - clock.now().getTime() + 1000);
      const [a, b] = await Promise.all([sweeper.sweep(), sweeper.sweep()]);
      const again = await sweeper.sweep();
      // then
      expect(before).not.toContain(late.id);
      expect([...a, ...b].filter((id) => id === late.id)).toHaveLength(1);
      expect([...a, ...b, ...again]).not.toContain(onTime.id);
      expect(again).not.toContain(late.id);
      const overdue = (await events(late.id)).filter((e) => e.type === 'gov.intake.consultation.overdue');
      expect(overdue).toHaveLength(1);
      expect(ConsultationOverdue.parse(overdue[0].payload.data)).toMatchObject({ consultationId: late.id, dueAt: late.dueAt });
      const queue = await http<Page<Consultation>>(`${t.url}/consultations/queue?state=overdue&limit=100`, { token: tokens[USERS.clerk] });
      expect(queue.body.items.map((c) => c.id)).toContain(late.id);
      expect(queue.body.items.every((c) => c.state === 'overdue')).toBe(true);
      // a late answer is marked late
      await answer(USERS.clerk, late.id, { answer: '迟到的答复。' });
      const answered = (await events(late.id)).find((e) => e.type === 'gov.intake.consultation.answered');
      expect(ConsultationAnswered.parse(answered?.payload.data).late).toBe(true);
    });

    it('reports each overdue consultation exactly once with two replicas sweeping at once', async () => {
      // given questions gone overdue, and a second replica on the same database
      const ours: string[] = [];
      for (let i = 0; i < 12; i++) ours.push((await asked()).id);
      const [{ due }] = await t.ownerQuery<{ due: Date }>('SELECT max(due_at) AS due FROM consultations WHERE id = ANY($1)', [ours]);
      clock.advance(Math.max(0, new Date(due).getTime() - clock.now().getTime() + 1000));
      const replica = await startTestIntake({ DEMO_SEED: 'false' }, clock, { reuseDatabase: t.database });
      try {
        const other = replica.app.get(ConsultationSweeper, { strict: false });
        // when both sweep at once, twice
        const [a, b] = await Promise.all([sweeper.sweep(), other.sweep()]);
        const [c, d] = await Promise.all([sweeper.sweep(), other.sweep()]);
        // then
        const byA = a.filter((id) => ours.includes(id));
        const byB = b.filter((id) => ours.includes(id));
        expect([...byA, ...byB].sort()).toEqual([...ours].sort());
        expect([...c, ...d].filter((id) => ours.includes(id))).toEqual([]);
        const counts = await t.ownerQuery<{ key: string; n: number }>(`SELECT key, count(*)::int AS n FROM outbox WHERE type = 'gov.intake.consultation.overdue' AND key = ANY($1) GROUP BY key`, [ours]);
        expect(counts).toHaveLength(ours.length);
        expect(counts.every((r) => r.n === 1)).toBe(true);
      } finally {
        await replica.close();
      }
    });

    it('lists the queue oldest first', async () => {
      // given
      const first = await asked();
      clock.advance(1000);
      const second = await asked();
      // when
      const queue = await http<Page<Consultation>>(`${t.url}/consultations/queue?limit=100`, { token: tokens[USERS.clerk] });
      // then
      const ids = queue.body.items.map((c) => c.id);
      expect(ids.indexOf(first.id)).toBeGreaterThanOrEqual(0);
      expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
      const times = queue.body.items.map((c) => c.askedAt);
      expect([...times].sort()).toEqual(times);
    });
  });

  describe('anonymous questions on the public guide', () => {
    beforeEach(resetRateLimits);

    it('takes a question with a contact and lets the asker read the answer with the access code only', async () => {
      // when
      const res = await askAnonymously(DEMO_MATTER, { question: QUESTION, contact: { name: '王女士', reach: '13800138000' } });
      const id = res.body.id;
      const code = res.body.accessCode ?? '';
      const queue = await http<Page<Consultation>>(`${t.url}/consultations/queue?limit=100`, { token: tokens[USERS.clerk] });
      await answer(USERS.clerk, id, { answer: '需要健康证明。' });
      const read = await http<Consultation>(`${t.url}/guide/consultations/${id}`, { headers: { 'consultation-access-code': code } });
      const wrong = await http<Refusal>(`${t.url}/guide/consultations/${id}`, { headers: { 'consultation-access-code': 'not-the-code' } });
      const none = await http<Refusal>(`${t.url}/guide/consultations/${id}`);
      // then
      expect(res.status).toBe(201);
      expect(code.length).toBeGreaterThanOrEqual(20);
      expect(queue.body.items.find((c) => c.id === id)).toMatchObject({ asker: 'anonymous', contactName: '王女士', contact: '13800138000' });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ state: 'answered', answer: '需要健康证明。' });
      expect(wrong.status).toBe(404);
      expect(none.status).toBe(404);
      const [row] = await t.ownerQuery<{ access_code_hash: string }>('SELECT access_code_hash FROM consultations WHERE id = $1', [id]);
      expect(row.access_code_hash).not.toContain(code);
    });

    it(`limits anonymous questions per client address (${ASK_LIMIT} per window) with 429 and Retry-After, storing nothing over the limit`, async () => {
      // given
      const body = { question: QUESTION, contact: { name: '王女士', reach: 'wang@example.cn' } };
      for (let i = 0; i < ASK_LIMIT; i++) expect((await askAnonymously(DEMO_MATTER, body)).status).toBe(201);
      const before = await count();
      // when
      const over = await askAnonymously(DEMO_MATTER, body);
      // then
      expect(over.status).toBe(429);
      expect(over.body.error).toBe(IntakeErrors.code.TooManyRequests);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await count()).toBe(before);
      // a signed-in applicant is not held to the anonymous budget
      expect((await ask(USERS.zhangsan, { matterCode: DEMO_MATTER, question: QUESTION })).status).toBe(201);
    });
  });

  describe('bad input: 4xx naming the field, nothing stored', () => {
    beforeEach(resetRateLimits);

    it.each([
      ['no question', { matterCode: DEMO_MATTER }, 'question'],
      ['a too-short question', { matterCode: DEMO_MATTER, question: '问' }, 'question'],
      ['a blank question', { matterCode: DEMO_MATTER, question: '      ' }, 'question'],
      ['a question with control characters', { matterCode: DEMO_MATTER, question: '需要\u0007健康证明吗？' }, 'question'],
      ['a malformed matter code', { matterCode: 'not a code', question: QUESTION }, 'matterCode'],
      ['a malformed case number', { matterCode: DEMO_MATTER, question: QUESTION, caseNumber: 'abc' }, 'caseNumber'],
      ['a number for a question', { matterCode: DEMO_MATTER, question: 12345 }, 'question'],
    ])('refuses %s', async (_what, body, field) => {
      // given
      const before = await count();
      // when
      const res = await ask(USERS.zhangsan, body);
      // then
      expect(res.status).toBe(400);
      expect(fieldsNamed(res.body)).toContain(field);
      expect(await count()).toBe(before);
    });

    it('refuses a matter not in force or secret as not found, naming the field', async () => {
      // given
      const before = await count();
      // when
      const unknown = await ask(USERS.zhangsan, { matterCode: 'TEST-NO-SUCH-001', question: QUESTION });
      const secret = await ask(USERS.zhangsan, { matterCode: SECRET_MATTER, question: QUESTION });
      const anonSecret = await askAnonymously(SECRET_MATTER, { question: QUESTION, contact: { name: '王女士', reach: '13800138000' } });
      // then
      for (const res of [unknown, secret]) {
        expect(res.status).toBe(404);
        expect(res.body.error).toBe(IntakeErrors.code.MatterNotFound);
        expect(fieldsNamed(res.body)).toContain('matterCode');
      }
      expect(anonSecret.status).toBe(404);
      expect(await count()).toBe(before);
    });

    it('refuses an anonymous question without a usable contact, or without an idempotency key', async () => {
      // given
      const before = await count();
      // when
      const noContact = await askAnonymously(DEMO_MATTER, { question: QUESTION });
      const badReach = await askAnonymously(DEMO_MATTER, { question: QUESTION, contact: { name: '王女士', reach: '12345' } });
      const noKey = await askAnonymously(DEMO_MATTER, { question: QUESTION, contact: { name: '王女士', reach: '13800138000' } }, '');
      const badCode = await askAnonymously('bad code', { question: QUESTION, contact: { name: '王女士', reach: '13800138000' } });
      // then
      expect(noContact.status).toBe(400);
      expect(fieldsNamed(noContact.body).some((f) => f.startsWith('contact'))).toBe(true);
      expect(badReach.status).toBe(400);
      expect(fieldsNamed(badReach.body)).toContain('contact.reach');
      expect(noKey.status).toBe(400);
      expect(noKey.body.error).toBe(IntakeErrors.code.IdempotencyKeyMissing);
      expect(badCode.status).toBe(400);
      expect(await count()).toBe(before);
    });

    it('refuses a malformed id, a bad queue filter and an empty answer', async () => {
      // given
      const question = await asked();
      // when
      const badId = await http<Refusal>(`${t.url}/consultations/not-a-uuid`, { token: tokens[USERS.clerk] });
      const badState = await http<Refusal>(`${t.url}/consultations/queue?state=lost`, { token: tokens[USERS.clerk] });
      const badLimit = await http<Refusal>(`${t.url}/consultations/queue?limit=0`, { token: tokens[USERS.clerk] });
      const empty = await answer(USERS.clerk, question.id, { answer: '' });
      const badPublic = await answer(USERS.clerk, question.id, { answer: '答复。', public: 'yes' });
      // then
      expect(badId.status).toBe(400);
      expect(fieldsNamed(badId.body)).toContain('param.id');
      expect(badState.status).toBe(400);
      expect(fieldsNamed(badState.body)).toContain('state');
      expect(badLimit.status).toBe(400);
      expect(fieldsNamed(badLimit.body)).toContain('limit');
      expect(empty.status).toBe(400);
      expect(fieldsNamed(empty.body)).toContain('answer');
      expect(badPublic.status).toBe(400);
      expect(fieldsNamed(badPublic.body)).toContain('public');
      const [row] = await t.ownerQuery<{ answered_at: Date | null }>('SELECT answered_at FROM consultations WHERE id = $1', [question.id]);
      expect(row.answered_at).toBeNull();
    });
  });
});
