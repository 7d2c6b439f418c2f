import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign, decodeProtectedHeader } from 'jose';
import { auditSettled, http, loginAs, startTestIdentity, type TestIdentity } from '../testing/test-app';

function openssl(args: string[]): { ok: boolean; out: string } {
  try {
    return { ok: true, out: execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

function der(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

describe('CA: issue, renew, revoke, status, CRL and verification (real PostgreSQL, openssl)', () => {
  let t: TestIdentity;
  let dir: string;
  let admin: string;
  let chief: { id: string; token: string };

  beforeAll(async () => {
    t = await startTestIdentity();
    dir = mkdtempSync(join(tmpdir(), 'identity-ca-'));
    admin = (await loginAs(t, 'admin')).access_token;
    const token = (await loginAs(t, 'chief.market')).access_token;
    const me = await http<{ id: string }>(`${t.url}/users/me`, { token });
    chief = { id: me.body.id, token };
    const chain = await http<{ root: string; issuing: string }>(`${t.url}/ca/chain`);
    writeFileSync(join(dir, 'root.pem'), chain.body.root);
    writeFileSync(join(dir, 'issuing.pem'), chain.body.issuing);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  async function issueOfficer(publicKeyPem?: string) {
    const res = await http<{ serial: string; certificatePem: string; privateKeyPem?: string; status: string }>(`${t.url}/ca/certificates/officer`, { token: admin, body: { userId: chief.id, ...(publicKeyPem ? { publicKeyPem } : {}) } });
    expect(res.status).toBe(201);
    return res.body;
  }

  it('issues an officer certificate that openssl verifies against the root', async () => {
    // given
    const cert = await issueOfficer();
    writeFileSync(join(dir, 'officer.pem'), cert.certificatePem);
    // when
    const result = openssl(['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'issuing.pem'), join(dir, 'officer.pem')]);
    // then
    expect(result.out).toContain('officer.pem: OK');
    expect(cert.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    const text = openssl(['x509', '-in', join(dir, 'officer.pem'), '-noout', '-subject', '-ext', 'keyUsage', '-nameopt', 'utf8']).out;
    expect(text).toContain('处长李强');
    expect(text).toContain('Non Repudiation');
  });

  it('issues a certificate for a key the officer keeps, and verifies a JWS signed with it (x5c)', async () => {
    // given the officer's own key pair
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const cert = await issueOfficer(publicKey.export({ format: 'pem', type: 'spki' }).toString());
    expect(cert.privateKeyPem).toBeUndefined();
    // when they sign an opinion
    const opinion = await new CompactSign(Buffer.from(JSON.stringify({ case: 'C-1', opinion: '同意' })))
      .setProtectedHeader({ alg: 'ES256', typ: 'opinion+jws', x5c: [der(cert.certificatePem)] })
      .sign(privateKey);
    const res = await http<{ valid: boolean; signer: { serial: string; kind: string } }>(`${t.url}/ca/verify-jws`, { body: { jws: opinion } });
    // then
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(true);
    expect(res.body.signer).toMatchObject({ serial: cert.serial, kind: 'officer' });
  });

  it("issues an officer certificate to a service client for the officer's public key only, audited", async () => {
    // given approval's service token and a key pair approval holds
    const svc = await http<{ access_token: string }>(`${t.url}/oauth/token`, { body: { grant_type: 'client_credentials', client_id: 'approval', client_secret: t.config.DEMO_SERVICE_SECRET } });
    const token = svc.body.access_token;
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    // when it asks without a public key, and for someone who is not an officer
    const noKey = await http<{ error: string }>(`${t.url}/ca/certificates/officer`, { token, body: { userId: chief.id } });
    // then it is refused
    expect(noKey.status).toBe(400);
    expect(noKey.body.error).toBe('PublicKeyRequired');
    // when it asks for the named officer with the public key
    const res = await http<{ serial: string; userId: string; privateKeyPem?: string }>(`${t.url}/ca/certificates/officer`, { token, body: { userId: chief.id, publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString() } });
    // then the certificate names the officer, and the issue is audited as the service's
    expect(res.status).toBe(201);
    expect(res.body.userId).toBe(chief.id);
    expect(res.body.privateKeyPem).toBeUndefined();
    await auditSettled(t);
    const audit = await http<Array<{ action: string; target: string | null; actor: string | null; details: Record<string, unknown> }>>(`${t.url}/audit?limit=50`, { token: admin });
    expect(audit.body.find((a) => a.action === 'ca.issue-officer' && a.target === res.body.serial)).toMatchObject({ actor: 'approval', details: { userId: chief.id, requestedBy: 'service' } });
  });

  it('refuses an officer certificate requested by an officer for someone else', async () => {
    const handler = (await loginAs(t, 'handler.market')).access_token;
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const res = await http<{ error: string }>(`${t.url}/ca/certificates/officer`, { token: handler, body: { userId: chief.id, publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString() } });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('NotYourself');
  });

  it('refuses a JWS whose content was altered', async () => {
    const cert = await issueOfficer();
    const key = createPrivateKey(cert.privateKeyPem!);
    const jws = await new CompactSign(Buffer.from('{"opinion":"同意"}')).setProtectedHeader({ alg: 'ES256', x5c: [der(cert.certificatePem)] }).sign(key);
    const [h, , s] = jws.split('.');
    const tampered = `${h}.${Buffer.from('{"opinion":"不同意"}').toString('base64url')}.${s}`;
    const res = await http(`${t.url}/ca/verify-jws`, { body: { jws: tampered } });
    expect(res.status).toBe(422);
    expect(res.body['error']).toBe('InvalidSignature');
  });

  it('refuses a certificate from another CA', async () => {
    // given a self-signed certificate made by openssl
    const keyFile = join(dir, 'rogue.key');
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', keyFile]);
    openssl(['req', '-new', '-x509', '-key', keyFile, '-subj', '/CN=rogue', '-days', '1', '-out', join(dir, 'rogue.pem')]);
    const { readFileSync } = await import('node:fs');
    const rogueCert = readFileSync(join(dir, 'rogue.pem'), 'utf8');
    const jws = await new CompactSign(Buffer.from('x')).setProtectedHeader({ alg: 'ES256', x5c: [der(rogueCert)] }).sign(createPrivateKey(readFileSync(keyFile)));
    // when
    const res = await http(`${t.url}/ca/verify-jws`, { body: { jws } });
    // then
    expect(res.status).toBe(422);
    expect(res.body['error']).toBe('UntrustedCertificate');
  });

  it('revokes a certificate: status, CRL (checked by openssl) and JWS verification all reflect it', async () => {
    // given a good certificate and a JWS made with it
    const cert = await issueOfficer();
    writeFileSync(join(dir, 'revoked.pem'), cert.certificatePem);
    const jws = await new CompactSign(Buffer.from('x')).setProtectedHeader({ alg: 'ES256', x5c: [der(cert.certificatePem)] }).sign(createPrivateKey(cert.privateKeyPem!));
    const before = await http<{ status: string }>(`${t.url}/ca/certificates/${cert.serial}/status`);
    expect(before.body.status).toBe('good');
    // when
    const revoked = await http(`${t.url}/ca/certificates/${cert.serial}/revoke`, { token: admin, body: { reason: 'keyCompromise' } });
    // then
    expect(revoked.status).toBe(200);
    const after = await http<{ status: string; reason: string; jws: string }>(`${t.url}/ca/certificates/${cert.serial}/status`);
    expect(after.body).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
    expect(decodeProtectedHeader(after.body.jws)).toMatchObject({ alg: 'ES256', typ: 'cert-status+jws' });
    const crl = await http<string>(`${t.url}/ca/crl`);
    writeFileSync(join(dir, 'crl.pem'), crl.body);
    const check = openssl(['verify', '-crl_check', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'issuing.pem'), '-CRLfile', join(dir, 'crl.pem'), join(dir, 'revoked.pem')]);
    expect(check.ok).toBe(false);
    expect(check.out).toContain('certificate revoked');
    const good = openssl(['verify', '-crl_check', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'issuing.pem'), '-CRLfile', join(dir, 'crl.pem'), join(dir, 'officer.pem')]);
    expect(good.out).toContain('OK');
    const verify = await http(`${t.url}/ca/verify-jws`, { body: { jws } });
    expect(verify.status).toBe(422);
    expect(verify.body['error']).toBe('CertificateRevoked');
  });

  it('renews a certificate and supersedes the old one', async () => {
    const cert = await issueOfficer();
    const renewed = await http<{ serial: string; replacesSerial: string; certificatePem: string }>(`${t.url}/ca/certificates/${cert.serial}/renew`, { token: admin, body: {} });
    expect(renewed.status).toBe(201);
    expect(renewed.body.replacesSerial).toBe(cert.serial);
    const old = await http<{ status: string; reason: string }>(`${t.url}/ca/certificates/${cert.serial}/status`);
    expect(old.body).toMatchObject({ status: 'revoked', reason: 'superseded' });
    writeFileSync(join(dir, 'renewed.pem'), renewed.body.certificatePem);
    expect(openssl(['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'issuing.pem'), join(dir, 'renewed.pem')]).out).toContain('OK');
  });

  it('answers unknown for a serial it never issued, and 404 for its details', async () => {
    expect((await http<{ status: string }>(`${t.url}/ca/certificates/ABCDEF/status`)).body.status).toBe('unknown');
    expect((await http(`${t.url}/ca/certificates/not-hex!`)).status).toBe(404);
  });

  it('lets an officer use their certificate as the second factor', async () => {
    // given a certificate for the officer's own key
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const cert = await issueOfficer(publicKey.export({ format: 'pem', type: 'spki' }).toString());
    const { body } = await http<{ challenge: string }>(`${t.url}/auth/challenge`, { body: { username: 'chief.market' } });
    const signature = await new CompactSign(Buffer.from(body.challenge)).setProtectedHeader({ alg: 'ES256', x5c: [der(cert.certificatePem)] }).sign(privateKey);
    // when
    const login = await http(`${t.url}/auth/login`, { body: { username: 'chief.market', password: t.config.DEMO_PASSWORD, certificateSignature: signature } });
    const replay = await http(`${t.url}/auth/login`, { body: { username: 'chief.market', password: t.config.DEMO_PASSWORD, certificateSignature: signature } });
    // then
    expect(login.status).toBe(200);
    expect(replay.status).toBe(401);
  });

  it('refuses a certificate second factor made with a revoked certificate', async () => {
    const cert = await issueOfficer();
    await http(`${t.url}/ca/certificates/${cert.serial}/revoke`, { token: admin, body: { reason: 'keyCompromise' } });
    const { body } = await http<{ challenge: string }>(`${t.url}/auth/challenge`, { body: { username: 'chief.market' } });
    const signature = await new CompactSign(Buffer.from(body.challenge)).setProtectedHeader({ alg: 'ES256', x5c: [der(cert.certificatePem)] }).sign(createPrivateKey(cert.privateKeyPem!));
    const login = await http(`${t.url}/auth/login`, { body: { username: 'chief.market', password: t.config.DEMO_PASSWORD, certificateSignature: signature } });
    expect(login.status).toBe(401);
    expect(login.body['error']).toBe('InvalidSecondFactor');
  });

  it('keeps CA private keys encrypted at rest', async () => {
    const rows = await t.ownerQuery<{ private_key_enc: string }>(`SELECT private_key_enc FROM ca_authorities UNION ALL SELECT private_key_enc FROM signing_keys`);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const r of rows) {
      expect(r.private_key_enc.startsWith('v1:')).toBe(true);
      expect(r.private_key_enc).not.toContain('PRIVATE KEY');
    }
  });
});
