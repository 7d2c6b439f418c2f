// Demo data for `stack up --demo`: the identity service seeds organisations, officers and applicants itself; this
// adds one application for the demo matter, registered and then accepted (受理) at the window by the market bureau's
// clerk (approval starts a case only on acceptance), with fixed idempotency keys so running it again returns the same
// case instead of adding another.
import { demoLogin } from '@gov/auth/testing';
import { ApplicantKind } from '@gov/contracts';
import { progress } from './lib';
import { serviceUrl } from './components/services';

export async function seedDemo(): Promise<void> {
  const identity = serviceUrl('identity');
  const clerk = await demoLogin(identity, 'clerk.market');
  const res = await fetch(`${serviceUrl('intake')}/applications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${clerk.access_token}`, 'idempotency-key': 'demo-seed-application-0001' },
    body: JSON.stringify({
      matterCode: 'DEMO-SCJG-001',
      applicant: { kind: ApplicantKind.LegalEntity, id: '91449901MA0000001H', name: '示范市东方贸易有限公司' },
      form: { businessPremises: '示范市东城区兴中道1号', businessScope: '热食类食品制售' },
    }),
  });
  if (!res.ok) throw new Error(`demo application refused: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { caseNumber: string; applicationId: string };
  const accepted = await fetch(`${serviceUrl('intake')}/applications/${body.applicationId}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${clerk.access_token}`, 'idempotency-key': 'demo-seed-application-0001-accept' },
    body: JSON.stringify({ note: '材料齐全，予以受理（演示）' }),
  });
  if (!accepted.ok) throw new Error(`demo acceptance refused: ${accepted.status} ${await accepted.text()}`);
  progress('demo', `demo case ${body.caseNumber}; officers log in at ${identity}/auth/login (users and TOTP: apps/identity/README.md)`);
  progress('demo', 'Cockpit: http://127.0.0.1:8080/camunda/app/cockpit/ (demo / demo)');
}
