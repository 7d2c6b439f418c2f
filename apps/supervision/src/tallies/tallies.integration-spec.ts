import { LightMonitor } from '../alerts/light-monitor.service';
import { type TestSupervision, deliver, http, newCaseNumber, orgsOf, startTestSupervision, stepEvent, tokenOf } from '../testing/test-app';

interface Flag {
  scope: string;
  subject: string;
  consequence: string;
  redAlertIds: string[];
}

// Seed 001 text 3 art. 22: 一年内累计两次红灯的，取消年度评优资格；累计三次的，调离工作岗位; a section with five
// reds in a year is out of that year's commendations. Thresholds are configuration (defaults 2, 3, 5).
describe('red tallies and their consequences', () => {
  let t: TestSupervision;
  let supervisor: string;
  let section: string;

  beforeAll(async () => {
    t = await startTestSupervision();
    supervisor = await tokenOf('supervisor');
    section = orgsOf(await tokenOf('handler.market'))[0];
  });
  afterAll(async () => {
    await t?.close();
  });

  /** An overdue step of `officer` in the section (opened in November with one working day). */
  const overdueStep = (officer: string) => {
    const caseNumber = newCaseNumber();
    return deliver(t, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, taskId: `task-${caseNumber}`, candidateGroups: [`handler:${section}`], assignee: officer, timeLimitWorkingDays: 1, openedAt: '2026-11-02T10:00:00+08:00' }));
  };
  const flags = async () => (await http<{ flags: Flag[]; persons: { subject: string; reds: number }[]; sections: { subject: string; reds: number }[] }>(`${t.url}/tallies/2026`, { token: supervisor })).body;

  it('flags a person at two reds (out of commendations) and at three (reassignment), with the reds that caused each', async () => {
    // given two reds of one officer
    await overdueStep('u-wang');
    await overdueStep('u-wang');
    await t.app.get(LightMonitor).scan();
    const atTwo = await flags();
    // when a third
    await overdueStep('u-wang');
    await t.app.get(LightMonitor).scan();
    // then
    const atThree = await flags();
    expect(atTwo.flags).toEqual([expect.objectContaining({ scope: 'person', subject: 'u-wang', consequence: 'no-commendation', redAlertIds: [expect.any(String), expect.any(String)] })]);
    expect(atThree.flags).toEqual([
      expect.objectContaining({ scope: 'person', subject: 'u-wang', consequence: 'no-commendation' }),
      expect.objectContaining({ scope: 'person', subject: 'u-wang', consequence: 'reassignment', redAlertIds: expect.arrayContaining(atTwo.flags[0].redAlertIds) }),
    ]);
    expect(atThree.flags[1].redAlertIds).toHaveLength(3);
    expect(atThree.persons).toEqual([{ subject: 'u-wang', reds: 3 }]);
  });

  it('leaves a person with one red unflagged', async () => {
    await overdueStep('u-zhao');
    await t.app.get(LightMonitor).scan();
    expect((await flags()).flags.filter((f) => f.subject === 'u-zhao')).toEqual([]);
  });

  it('takes the section out of commendations at its fifth red, and streams every flag once', async () => {
    // given four reds in the section so far (u-wang 3, u-zhao 1): one more of another officer
    expect((await flags()).flags.filter((f) => f.scope === 'section')).toEqual([]);
    await overdueStep('u-li');
    await t.app.get(LightMonitor).scan();
    await t.app.get(LightMonitor).scan();
    // then
    const body = await flags();
    expect(body.sections).toEqual([{ subject: section, reds: 5 }]);
    expect(body.flags.filter((f) => f.scope === 'section')).toEqual([expect.objectContaining({ subject: section, consequence: 'section-no-commendation', redAlertIds: expect.any(Array) })]);
    const streamed = await t.ownerQuery<{ level: string }>(`SELECT level FROM alert_stream WHERE kind = 'tally-flag' ORDER BY seq`);
    expect(streamed).toEqual([{ level: 'no-commendation' }, { level: 'reassignment' }, { level: 'section-no-commendation' }]);
    await expect(t.appQuery(`UPDATE tally_flags SET subject = 'someone else'`)).rejects.toThrow();
  });
});
