// Demo data for `stack up --demo`: one application for the demo matter, submitted through intake's API with a
// fixed idempotency key, so running it again returns the same case instead of adding another.
import { progress } from './lib';
import { serviceUrl } from './components/services';

export async function seedDemo(): Promise<void> {
  const res = await fetch(`${serviceUrl('intake')}/applications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'demo-seed-application-0001' },
    body: JSON.stringify({
      matterCode: 'DEMO-SCJG-001',
      applicant: { kind: 'legal-entity', id: '91442000MA4UUUUU0X', name: '中山市演示餐饮有限公司' },
      form: { businessPremises: '中山市东区兴中道1号', businessScope: '热食类食品制售' },
    }),
  });
  if (!res.ok) throw new Error(`demo application refused: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { caseNumber: string };
  progress('demo', `demo case ${body.caseNumber} (worklist: ${serviceUrl('approval')}/worklist?group=handler:SCJG)`);
  progress('demo', 'Cockpit: http://127.0.0.1:8080/camunda/app/cockpit/ (demo / demo)');
}
