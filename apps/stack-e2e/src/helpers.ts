import { randomUUID } from 'node:crypto';
import { STACK, eventually, http } from '@gov/testing';

export interface Accepted {
  caseNumber: string;
  applicationId: string;
}

export async function submitApplication(key = randomUUID()): Promise<Accepted> {
  const res = await http<Accepted>(
    'POST',
    `${STACK.intake}/applications`,
    {
      matterCode: 'DEMO-SCJG-001',
      applicant: { kind: 'person', id: '11010519491231002X', name: '张三' },
      form: { businessPremises: '中山市石岐区孙文中路1号' },
    },
    { 'idempotency-key': key },
  );
  if (res.status !== 201) throw new Error(`intake refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

interface WorkItem {
  taskId: string;
  caseNumber: string;
  step: string;
}

export async function openStep(caseNumber: string, group: string, step: string, timeoutMs = 30_000): Promise<WorkItem> {
  return eventually(`${step} of ${caseNumber} in the worklist of ${group}`, async () => {
    const res = await http<WorkItem[]>('GET', `${STACK.approval}/worklist?group=${encodeURIComponent(group)}`);
    return res.status === 200 ? res.body.find((w) => w.caseNumber === caseNumber && w.step === step) : undefined;
  }, timeoutMs);
}

export async function completeStep(taskId: string, officerId: string, outcome: 'approve' | 'reject', opinion: string): Promise<{ status: number; body: unknown }> {
  return http('POST', `${STACK.approval}/tasks/${taskId}/complete`, { officerId, outcome, opinion }, { 'idempotency-key': randomUUID() });
}
