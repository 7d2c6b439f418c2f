import { createHash } from 'node:crypto';
import { DEMO_ORGS } from '../seed/demo-data';
import { http, loginAs, startTestIdentity, type TestIdentity } from '../testing/test-app';

const DECISION = Buffer.from('准予行政许可决定书\n示市监许〔2026〕101号\n……', 'utf8');

describe('document seals and public document verification (real PostgreSQL)', () => {
  let t: TestIdentity;
  let leader: string;
  let sealed: { documentCode: string; sha256: string; sealSerial: string; jws: string };

  beforeAll(async () => {
    t = await startTestIdentity();
    leader = (await loginAs(t, 'leader.market')).access_token;
    const res = await http<typeof sealed>(`${t.url}/seals/documents`, { token: leader, body: { orgCode: DEMO_ORGS.market.code, documentCode: '示市监许〔2026〕101号', contentBase64: DECISION.toString('base64'), title: '准予行政许可决定书' } });
    expect(res.status).toBe(201);
    sealed = res.body;
  });
  afterAll(async () => {
    await t.close();
  });

  it('seals a document with the department seal and verifies it with the content', async () => {
    const res = await http<{ valid: boolean; intact: boolean; payload: { orgName: string; sealedByLabel: string } }>(`${t.url}/seals/verify`, { body: { jws: sealed.jws, contentBase64: DECISION.toString('base64') } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, intact: true, payload: { orgName: DEMO_ORGS.market.name, sealedByLabel: '分管领导周华' } });
  });

  it('detects altered content', async () => {
    const altered = Buffer.from(DECISION.toString('utf8').replace('准予', '不予'));
    const res = await http<{ valid: boolean; intact: boolean }>(`${t.url}/seals/verify`, { body: { jws: sealed.jws, contentBase64: altered.toString('base64') } });
    expect(res.body).toMatchObject({ valid: true, intact: false });
  });

  it('detects a tampered seal (the signed hash replaced)', async () => {
    const [h, p, s] = sealed.jws.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    payload['sha256'] = createHash('sha256').update('another document').digest('hex');
    const res = await http(`${t.url}/seals/verify`, { body: { jws: `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}` } });
    expect(res.status).toBe(422);
    expect(res.body['error']).toBe('InvalidSignature');
  });

  it('answers who sealed a document, when, and whether a file is intact, by code and by hash', async () => {
    // when
    const byCode = await http<Record<string, unknown>>(`${t.url}/verify/documents/${encodeURIComponent(sealed.documentCode)}`);
    const byHash = await http<Array<Record<string, unknown>>>(`${t.url}/verify/documents?sha256=${sealed.sha256}`);
    const withFile = await http<Record<string, unknown>>(`${t.url}/verify/documents`, { body: { documentCode: sealed.documentCode, contentBase64: DECISION.toString('base64') } });
    const withOtherFile = await http<Record<string, unknown>>(`${t.url}/verify/documents`, { body: { documentCode: sealed.documentCode, contentBase64: Buffer.from('forged').toString('base64') } });
    const unknownHash = await http(`${t.url}/verify/documents?sha256=${'0'.repeat(64)}`);
    // then
    expect(byCode.status).toBe(200);
    expect(byCode.body).toMatchObject({ sealedBy: { orgName: DEMO_ORGS.market.name, person: '分管领导周华' }, signatureValid: true, certificateStatus: 'good', intact: null });
    expect(typeof byCode.body['sealedAt']).toBe('string');
    expect(byHash.body[0]).toMatchObject({ documentCode: sealed.documentCode, intact: true });
    expect(withFile.body['intact']).toBe(true);
    expect(withOtherFile.body['intact']).toBe(false);
    expect(unknownHash.status).toBe(404);
  });

  it('answers a browser (a scanned QR code) with a page naming the department, the seal and the hash', async () => {
    // when
    const res = await fetch(`${t.url}/verify/documents/${encodeURIComponent(sealed.documentCode)}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    const page = await res.text();
    // then
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page).toContain('有效：本文书由下列机关加盖电子印章');
    expect(page).toContain(DEMO_ORGS.market.name);
    expect(page).toContain(sealed.sealSerial);
    expect(page).toContain(sealed.sha256);
    expect(page).toContain(sealed.documentCode);
    expect(page).not.toContain('<script');
  });

  it('notices a register entry edited in the database', async () => {
    // given someone changes the stored hash to match a forged file
    const forgedHash = createHash('sha256').update('forged').digest('hex');
    await t.ownerQuery(`UPDATE sealed_documents SET sha256 = $1 WHERE document_code = $2`, [forgedHash, sealed.documentCode]);
    // when the forged file is checked
    const res = await http<Record<string, unknown>>(`${t.url}/verify/documents`, { body: { documentCode: sealed.documentCode, sha256: forgedHash } });
    // then the seal still binds the original hash
    expect(res.body).toMatchObject({ signatureValid: false, intact: false });
    await t.ownerQuery(`UPDATE sealed_documents SET sha256 = $1 WHERE document_code = $2`, [sealed.sha256, sealed.documentCode]);
  });

  it('refuses to seal for another department (object-level check)', async () => {
    const other = (await loginAs(t, 'leader.resources')).access_token;
    const res = await http(`${t.url}/seals/documents`, { token: other, body: { orgCode: DEMO_ORGS.market.code, documentCode: 'X-1', sha256: 'a'.repeat(64) } });
    expect(res.status).toBe(403);
    expect(res.body['error']).toBe('OutsideOrganisation');
  });

  it('refuses a handler (no sealing role)', async () => {
    const handler = (await loginAs(t, 'handler.market')).access_token;
    const res = await http(`${t.url}/seals/documents`, { token: handler, body: { orgCode: DEMO_ORGS.marketRegistry.code, documentCode: 'X-2', sha256: 'a'.repeat(64) } });
    expect(res.status).toBe(403);
  });

  it('is idempotent for the same document and refuses the same code with other content', async () => {
    const again = await http<{ jws: string }>(`${t.url}/seals/documents`, { token: leader, body: { orgCode: DEMO_ORGS.market.code, documentCode: sealed.documentCode, contentBase64: DECISION.toString('base64') } });
    const other = await http(`${t.url}/seals/documents`, { token: leader, body: { orgCode: DEMO_ORGS.market.code, documentCode: sealed.documentCode, sha256: 'b'.repeat(64) } });
    expect(again.status).toBe(201);
    expect(again.body.jws).toBe(sealed.jws);
    expect(other.status).toBe(409);
  });

  it('lets a service worker seal decision documents', async () => {
    const svc = await http<{ access_token: string }>(`${t.url}/oauth/token`, { body: { grant_type: 'client_credentials', client_id: 'approval', client_secret: t.config.DEMO_SERVICE_SECRET } });
    const res = await http(`${t.url}/seals/documents`, { token: svc.body.access_token, body: { orgCode: DEMO_ORGS.tax.code, documentCode: 'TAX-2026-1', sha256: 'c'.repeat(64) } });
    expect(res.status).toBe(201);
  });

  it('reports a seal whose certificate was revoked as no longer valid', async () => {
    // given
    const admin = (await loginAs(t, 'admin')).access_token;
    await http(`${t.url}/ca/certificates/${sealed.sealSerial}/revoke`, { token: admin, body: { reason: 'keyCompromise' } });
    // when
    const verify = await http(`${t.url}/seals/verify`, { body: { jws: sealed.jws } });
    const lookup = await http<Record<string, unknown>>(`${t.url}/verify/documents/${encodeURIComponent(sealed.documentCode)}`);
    const sealAgain = await http(`${t.url}/seals/documents`, { token: leader, body: { orgCode: DEMO_ORGS.market.code, documentCode: 'after-revocation', sha256: 'd'.repeat(64) } });
    // then
    expect(verify.status).toBe(422);
    expect(verify.body['error']).toBe('CertificateRevoked');
    expect(lookup.body).toMatchObject({ signatureValid: false, certificateStatus: 'revoked' });
    expect(sealAgain.status).toBe(422);
    expect(sealAgain.body['error']).toBe('NoActiveSeal');
  });
});
