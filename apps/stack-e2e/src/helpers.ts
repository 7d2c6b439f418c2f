import { randomUUID } from 'node:crypto';
import { demoLogin } from '@gov/auth/testing';
import { STACK, eventually, http } from '@gov/testing';

/** Demo users of identity's seed (apps/identity/README.md). */
export const USERS = {
  clerk: 'clerk.market',
  handler: 'handler.market',
  chief: 'chief.market',
  leader: 'leader.market',
  otherHandler: 'handler.resources',
  supervisor: 'supervisor',
  admin: 'admin',
  zhangsan: 'zhangsan',
  lisi: 'lisi',
} as const;

/** Resident IDs of the demo applicants. */
export const APPLICANT_IDS = { zhangsan: '449901198503120015', lisi: '449902199007230021' } as const;

/** The registration section of the market bureau, which handles the demo matter. */
export const MARKET_SECTION = '11449900000000111Y';

export async function bearer(username: string): Promise<Record<string, string>> {
  const { access_token } = await demoLogin(STACK.identity, username);
  return { authorization: `Bearer ${access_token}` };
}

export interface Accepted {
  caseNumber: string;
  applicationId: string;
}

export function applicationBody(applicantId: string = APPLICANT_IDS.zhangsan, name = '张三') {
  return { matterCode: 'DEMO-SCJG-001', applicant: { kind: 'person', id: applicantId, name }, form: { businessPremises: '示范市东城区孙文中路1号', businessScope: '热食类食品制售' } };
}

/**
 * Submits as the applicant zhangsan (online) unless another user is given (e.g. the window clerk), then accepts it
 * (受理) at the window as the market bureau's clerk, so the case starts (intake receives first; approval starts a
 * case only on acceptance). The acceptance's key derives from the submission's, so a repeated call replays both.
 * `accept: false` leaves it received.
 */
export async function submitApplication(key = randomUUID(), as: string = USERS.zhangsan, options: { accept?: boolean } = {}): Promise<Accepted> {
  const res = await http<Accepted>('POST', `${STACK.intake}/applications`, applicationBody(), { 'idempotency-key': key, ...(await bearer(as)) });
  if (res.status !== 201) throw new Error(`intake refused: ${res.status} ${JSON.stringify(res.body)}`);
  if (options.accept === false) return res.body;
  const accepted = await http('POST', `${STACK.intake}/applications/${res.body.applicationId}/accept`, {}, { 'idempotency-key': `accept:${key}`, ...(await bearer(USERS.clerk)) });
  if (accepted.status !== 200) throw new Error(`the window refused to accept ${res.body.caseNumber}: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return res.body;
}

interface WorkItem {
  taskId: string;
  caseNumber: string;
  step: string;
}

export async function openStep(caseNumber: string, username: string, step: string, timeoutMs = 30_000): Promise<WorkItem> {
  const auth = await bearer(username);
  return eventually(`${step} of ${caseNumber} in the worklist of ${username}`, async () => {
    const res = await http<WorkItem[]>('GET', `${STACK.approval}/worklist?caseNumber=${caseNumber}`, undefined, auth);
    return res.status === 200 ? res.body.find((w) => w.caseNumber === caseNumber && w.step === step) : undefined;
  }, timeoutMs);
}

export async function completeStep(taskId: string, username: string, outcome: 'approve' | 'reject', opinion: string): Promise<{ status: number; body: unknown }> {
  return http('POST', `${STACK.approval}/tasks/${taskId}/complete`, { outcome, opinion }, { 'idempotency-key': randomUUID(), ...(await bearer(username)) });
}
