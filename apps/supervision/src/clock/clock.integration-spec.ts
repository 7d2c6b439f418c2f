import { SupervisionErrors } from '../errors';
import { type TestSupervision, http, startTestSupervision, tokenOf } from '../testing/test-app';

describe('the supervision clock where clock control is disabled', () => {
  let t: TestSupervision;
  beforeAll(async () => {
    t = await startTestSupervision({ CLOCK_CONTROL_ENABLED: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows the clock to a sysadmin with no offset and refuses to move it with ClockControlDisabled', async () => {
    // given
    const admin = await tokenOf('admin');
    // when
    const now = await http<{ now: string; offsetMs: number }>(`${t.url}/admin/clock`, { token: admin });
    const advance = await http(`${t.url}/admin/clock/advance`, { token: admin, body: { ms: 1000 } });
    // then
    expect(now.status).toBe(200);
    expect(now.body.offsetMs).toBe(0);
    expect(Math.abs(new Date(now.body.now).getTime() - Date.now())).toBeLessThan(60_000);
    expect(advance.status).toBe(SupervisionErrors.status('ClockControlDisabled'));
    expect(advance.body.error).toBe(SupervisionErrors.code.ClockControlDisabled);
  });
});
