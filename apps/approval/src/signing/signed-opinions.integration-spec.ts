import { createPrivateKey, randomUUID } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyEnvelope } from '@gov/service-kit';
import { httpRequest } from '@gov/testing';
import { CompactSign } from 'jose';
// The signed-opinion flow needs identity's CA as built on this branch (the stack runs main's): this spec starts it
// in-process through identity's own test harness. A test-only crossing of the app boundary; no production code does.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { http as identityHttp, loginAs, startTestIdentity, type TestIdentity } from '../../../identity/src/testing/test-app';
import { DEV_SIGNING_KEY_KEK } from '../config';
import { ApprovalErrors } from '../errors';
import { type TestApproval, type TestFlow, deployTestFlow, startTestApproval, startTestCase } from '../testing/test-app';
import type { OpinionVerification } from './opinion-verification';
import { pemCertificates } from './signing-keys.service';

const E = ApprovalErrors.code;

/**
 * Identity under test (this branch's code, its own database and CA) behind a fixed address: its tokens name the
 * address as issuer, so approval verifies them with its JWKS and asks its CA, as in a deployment.
 */
async function identityBehindFixedAddress(): Promise<{ identity: TestIdentity; issuer: string; close(): Promise<void> }> {
  let target = '';
  const proxy: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && k !== 'host' && k !== 'content-length')) as Record<string, string>;
      fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined })
        .then(async (r) => {
          res.writeHead(r.status, Object.fromEntries([...r.headers].filter(([k]) => k !== 'content-encoding' && k !== 'content-length' && k !== 'transfer-encoding')));
          res.end(Buffer.from(await r.arrayBuffer()));
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  const issuer = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const identity = await startTestIdentity({ IDENTITY_ISSUER: issuer });
  target = identity.url;
  return { identity, issuer, close: async () => { await identity.close(); await new Promise((r) => proxy.close(r)); } };
}

let id: Awaited<ReturnType<typeof identityBehindFixedAddress>>;
let t: TestApproval;
let flow: TestFlow;
let handler: string;
let chief: string;
let deputy: string;

beforeAll(async () => {
  id = await identityBehindFixedAddress();
  flow = await deployTestFlow();
  t = await startTestApproval({ IDENTITY_ISSUER: id.issuer, SIGNING_CERT_STATUS_CACHE_MS: '0' });
  const as = async (u: string) => (await loginAs(id.identity, u)).access_token;
  [handler, chief, deputy] = [await as('handler.market'), await as('chief.market'), await as('deputy.market')];
}, 120_000);

afterAll(async () => {
  await t?.close();
  await flow?.remove();
  await id?.close();
});

const newCase = () => startTestCase(flow, (sql, params) => t.ownerQuery(sql, params));
const complete = (taskId: string, token: string, body: unknown = { outcome: 'approve', opinion: '材料齐全，拟同意。' }) =>
  httpRequest<Record<string, unknown>>(`${t.url}/tasks/${taskId}/complete`, { token, body, headers: { 'idempotency-key': randomUUID() } });

interface ListedOpinion {
  id: string;
  taskId: string;
  officerId: string;
  officerLabel: string;
  opinion: string;
  signature: string | null;
  signerSerial: string | null;
}
const opinionsOf = async (caseNumber: string, token: string) => (await httpRequest<{ opinions: ListedOpinion[] }>(`${t.url}/cases/${caseNumber}`, { token })).body.opinions;
const verification = (caseNumber: string, opinionId: string, token: string) => httpRequest<OpinionVerification>(`${t.url}/cases/${caseNumber}/opinions/${opinionId}/verification`, { token });
const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

/** A delegated token for the deputy (授权 or AB岗) from `from`'s delegation at identity. */
async function delegatedToken(from: string, mode: 'delegation' | 'ab_post', role: string): Promise<string> {
  const endsAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
  const d = await identityHttp<{ id: string }>(`${id.identity.url}/delegations`, { token: from, body: { toUsername: 'deputy.market', orgCode: '11449900000000111Y', roles: [role], mode, endsAt, reason: '出差' } });
  expect(d.status).toBe(201);
  const tok = await identityHttp<{ access_token: string }>(`${id.identity.url}/auth/token/delegated`, { token: deputy, body: { delegationId: d.body.id } });
  expect(tok.status).toBe(200);
  return tok.body.access_token;
}

describe('real-name signed opinions (seed 001 text 3, art. 9 and 17)', () => {
  it("signs a completion with the officer's certificate, enrolled at the first completion, and verifies it", async () => {
    // given an officer with no signing key yet
    expect((await httpRequest(`${t.url}/signing-keys/current`, { token: handler })).status).toBe(404);
    const c = await newCase();
    // when they complete a step
    const res = await complete(c.taskId, handler);
    // then the opinion carries a JWS signed with a certificate identity issued for them
    expect(res.status).toBe(200);
    const key = await httpRequest<{ serial: string; subject: string; notAfter: string; certificateChainPem: string }>(`${t.url}/signing-keys/current`, { token: handler });
    expect(key.status).toBe(200);
    expect(key.body.subject).toContain('承办人刘明');
    expect(JSON.stringify(key.body)).not.toMatch(/PRIVATE KEY/);
    expect(res.body['signerSerial']).toBe(key.body.serial);
    const [o] = await opinionsOf(c.caseNumber, handler);
    expect(o.signerSerial).toBe(key.body.serial);
    expect(payloadOf(o.signature!)).toMatchObject({ caseNumber: c.caseNumber, taskId: c.taskId, step: { id: 'HandlerReview', name: '承办人审查' }, outcome: 'agree', opinion: '材料齐全，拟同意。', signer: { name: '承办人刘明' } });
    // and the verification holds on every count
    const v = await verification(c.caseNumber, o.id, handler);
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ valid: true, reasons: [], signatureValid: true, chainValid: true, statusAtSigning: 'good', statusNow: 'good', payloadMatches: true, certificateNamesSigner: true, ledgerIntact: true });
    // and the private key is stored encrypted, never as PEM
    const [row] = await t.ownerQuery<{ private_key_enc: string }>('SELECT private_key_enc FROM officer_signing_keys WHERE cert_serial = $1', [key.body.serial]);
    expect(row.private_key_enc.startsWith('v1:')).toBe(true);
  });

  it('marks an AB岗 opinion as the B post, with both names (art. 9)', async () => {
    // given handler.market's AB岗 backup deputy.market acting for them
    const bPost = await delegatedToken(handler, 'ab_post', 'handler');
    const c = await newCase();
    // when the B post completes the handler's step (their key enrolled through approval's service client)
    const res = await complete(c.taskId, bPost, { outcome: 'approve', opinion: 'B岗代为审查，材料齐全。' });
    // then
    expect(res.status).toBe(200);
    const [o] = await opinionsOf(c.caseNumber, handler);
    expect(o.officerLabel).toBe('副科长陈静（AB岗：承办人刘明）');
    const payload = payloadOf(o.signature!);
    expect(payload).toMatchObject({ signer: { name: '副科长陈静' }, delegation: { mode: 'ab_post', mark: 'B岗', aPost: { name: '承办人刘明' } } });
    expect((await verification(c.caseNumber, o.id, handler)).body).toMatchObject({ valid: true, signer: { subject: expect.stringContaining('副科长陈静') } });
  });

  it('carries both names and 授权 on an opinion signed under delegation (art. 9)', async () => {
    // given chief.market's delegation of the section chief role to deputy.market
    const deputyForChief = await delegatedToken(chief, 'delegation', 'section_chief');
    const c = await newCase();
    expect((await complete(c.taskId, handler)).status).toBe(200);
    const [next] = await flow.engine.tasks({ processInstanceId: c.processInstanceId });
    // when the deputy completes the chief's step
    const res = await complete(next.id, deputyForChief, { outcome: 'approve', opinion: '同意承办人意见。' });
    // then
    expect(res.status).toBe(200);
    const opinions = await opinionsOf(c.caseNumber, chief);
    const o = opinions.find((x) => x.taskId === next.id)!;
    expect(o.officerLabel).toBe('副科长陈静（授权：处长李强）');
    expect(payloadOf(o.signature!)).toMatchObject({ signer: { name: '副科长陈静' }, label: '副科长陈静（授权：处长李强）', delegation: { mode: 'delegation', mark: '授权', delegator: { name: '处长李强' } } });
    expect((await verification(c.caseNumber, o.id, chief)).body.valid).toBe(true);
  });

  it('refuses a disagreeing opinion without reasons with 400 ReasonsRequired and records nothing (art. 9)', async () => {
    // given
    const c = await newCase();
    // when
    const bare = await complete(c.taskId, handler, { outcome: 'reject' });
    const blank = await complete(c.taskId, handler, { outcome: 'reject', opinion: '   ' });
    // then
    expect(bare.status).toBe(400);
    expect(bare.body['error']).toBe(E.ReasonsRequired);
    expect(blank.body['error']).toBe(E.ReasonsRequired);
    expect(await t.ownerQuery('SELECT 1 FROM pending_completions WHERE task_id = $1', [c.taskId])).toEqual([]);
    expect(await t.ownerQuery('SELECT 1 FROM opinions WHERE case_number = $1', [c.caseNumber])).toEqual([]);
    expect((await flow.engine.tasks({ processInstanceId: c.processInstanceId })).map((x) => x.id)).toEqual([c.taskId]);
    // and with its reasons the same disagreement is recorded, signed as 'disagree'
    const ok = await complete(c.taskId, handler, { outcome: 'reject', opinion: '申请材料与实际经营场所不符。' });
    expect(ok.status).toBe(200);
    const [o] = await opinionsOf(c.caseNumber, handler);
    expect(payloadOf(o.signature!)).toMatchObject({ outcome: 'disagree', opinion: '申请材料与实际经营场所不符。' });
  });

  it('detects a tampered opinion text and a swapped signature (art. 17: a signed opinion is never changed)', async () => {
    // given two signed opinions
    const a = await newCase();
    const b = await newCase();
    expect((await complete(a.taskId, handler)).status).toBe(200);
    expect((await complete(b.taskId, handler, { outcome: 'approve', opinion: '另一案件的意见。' })).status).toBe(200);
    const [oa] = await opinionsOf(a.caseNumber, handler);
    const [ob] = await opinionsOf(b.caseNumber, handler);
    await t.superQuery(`ALTER TABLE opinions DISABLE TRIGGER opinions_no_update`);
    try {
      // when the stored text of one is rewritten around the triggers
      await t.superQuery(`UPDATE opinions SET opinion = '不同意。' WHERE id = $1`, [oa.id]);
      // and the other's JWS is replaced by a valid one of another opinion
      await t.superQuery(`UPDATE opinions SET signature = $2 WHERE id = $1`, [ob.id, oa.signature]);
    } finally {
      await t.superQuery(`ALTER TABLE opinions ENABLE ALWAYS TRIGGER opinions_no_update`);
    }
    // then both verifications fail, saying why
    const va = (await verification(a.caseNumber, oa.id, handler)).body;
    expect(va).toMatchObject({ valid: false, signatureValid: true, payloadMatches: false, ledgerIntact: false });
    expect(va.reasons.join(' ')).toMatch(/differs from what was signed: opinion/);
    const vb = (await verification(b.caseNumber, ob.id, handler)).body;
    expect(vb).toMatchObject({ valid: false, payloadMatches: false, ledgerIntact: false });
    expect(vb.reasons.join(' ')).toMatch(/caseNumber, taskId/);
    // and an altered signature itself does not verify
    await t.superQuery(`ALTER TABLE opinions DISABLE TRIGGER opinions_no_update`);
    try {
      const [h, p, s] = oa.signature!.split('.');
      await t.superQuery(`UPDATE opinions SET signature = $2 WHERE id = $1`, [ob.id, `${h}.${p}.${s.slice(0, -4)}AAAA`]);
    } finally {
      await t.superQuery(`ALTER TABLE opinions ENABLE ALWAYS TRIGGER opinions_no_update`);
    }
    expect((await verification(b.caseNumber, ob.id, handler)).body).toMatchObject({ valid: false, signatureValid: false });
  });

  it("refuses an opinion signed with another officer's valid certificate (real name, art. 9)", async () => {
    // given a handler's opinion, and deputy.market's signing key (enrolled in the AB岗 test), read by someone with the KEK
    const c = await newCase();
    expect((await complete(c.taskId, handler)).status).toBe(200);
    const [o] = await opinionsOf(c.caseNumber, handler);
    const [dk] = await t.ownerQuery<{ officer_id: string; cert_serial: string; private_key_enc: string; cert_chain_pem: string }>(
      `SELECT officer_id, cert_serial, private_key_enc, cert_chain_pem FROM officer_signing_keys WHERE officer_id <> $1 AND retired_at IS NULL LIMIT 1`,
      [o.officerId],
    );
    const pkcs8 = KeyEnvelope.fromBase64(DEV_SIGNING_KEY_KEK).decrypt(dk.private_key_enc, `opinion-signing-key:${dk.officer_id}:${dk.cert_serial}`);
    const x5c = pemCertificates(dk.cert_chain_pem).map((pem) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, ''));
    // when the same signed bytes (naming the handler) are re-signed with the deputy's key and chain, and stored
    const forged = await new CompactSign(Buffer.from(o.signature!.split('.')[1], 'base64url'))
      .setProtectedHeader({ alg: 'ES256', typ: 'gov-opinion+jws', x5c })
      .sign(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
    await t.superQuery(`ALTER TABLE opinions DISABLE TRIGGER opinions_no_update`);
    try {
      await t.superQuery(`UPDATE opinions SET signature = $2 WHERE id = $1`, [o.id, forged]);
    } finally {
      await t.superQuery(`ALTER TABLE opinions ENABLE ALWAYS TRIGGER opinions_no_update`);
    }
    // then the signature and chain hold, the payload matches, but the certificate is not the recorded officer's
    const v = (await verification(c.caseNumber, o.id, handler)).body;
    expect(v).toMatchObject({ valid: false, signatureValid: true, chainValid: true, payloadMatches: true, certificateNamesSigner: false });
    expect(v.reasons.join(' ')).toMatch(/not to the recorded officer/);
  });

  it('does not sign with a revoked certificate: the next completion enrols a new key; the old opinion stays valid', async () => {
    // given an opinion signed with the current certificate
    const c1 = await newCase();
    expect((await complete(c1.taskId, handler)).status).toBe(200);
    const before = (await httpRequest<{ serial: string }>(`${t.url}/signing-keys/current`, { token: handler })).body.serial;
    // when the officer revokes it at identity (a lost key)
    const revoked = await identityHttp(`${id.identity.url}/ca/certificates/${before}/revoke`, { token: handler, body: { reason: 'keyCompromise' } });
    expect(revoked.status).toBe(200);
    const c2 = await newCase();
    const res = await complete(c2.taskId, handler);
    // then a new certificate signs the next opinion
    expect(res.status).toBe(200);
    const after = (await httpRequest<{ serial: string }>(`${t.url}/signing-keys/current`, { token: handler })).body.serial;
    expect(after).not.toBe(before);
    expect(res.body['signerSerial']).toBe(after);
    expect(await t.ownerQuery<{ retired_reason: string }>('SELECT retired_reason FROM officer_signing_keys WHERE cert_serial = $1', [before])).toEqual([{ retired_reason: 'certificate revoked' }]);
    // and the opinion signed before the revocation verifies, its certificate revoked now but good at signing
    const [o1] = await opinionsOf(c1.caseNumber, handler);
    expect((await verification(c1.caseNumber, o1.id, handler)).body).toMatchObject({ valid: true, statusAtSigning: 'good', statusNow: 'revoked' });
  });

  it('enrols a key on request with the officer\'s own token (Idempotency-Key), never under delegation', async () => {
    // given
    const key = randomUUID();
    const before = (await httpRequest<{ serial: string }>(`${t.url}/signing-keys/current`, { token: handler })).body.serial;
    // when
    const first = await httpRequest<{ serial: string }>(`${t.url}/signing-keys`, { token: handler, body: { reason: '更换办公电脑' }, headers: { 'idempotency-key': key } });
    const retry = await httpRequest<{ serial: string }>(`${t.url}/signing-keys`, { token: handler, body: { reason: '更换办公电脑' }, headers: { 'idempotency-key': key } });
    const reused = await httpRequest<{ error: string }>(`${t.url}/signing-keys`, { token: handler, body: { reason: '别的理由' }, headers: { 'idempotency-key': key } });
    const delegated = await httpRequest<{ error: string }>(`${t.url}/signing-keys`, { token: await delegatedToken(handler, 'ab_post', 'handler'), body: {} });
    // then
    expect(first.status).toBe(201);
    expect(first.body.serial).not.toBe(before);
    expect(retry.body.serial).toBe(first.body.serial);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(reused.status).toBe(409);
    expect(reused.body.error).toBe('IdempotencyKeyReused');
    expect(await t.ownerQuery<{ retired_reason: string }>('SELECT retired_reason FROM officer_signing_keys WHERE cert_serial = $1', [before])).toEqual([{ retired_reason: 'superseded: 更换办公电脑' }]);
    expect((await httpRequest<{ serial: string }>(`${t.url}/signing-keys/current`, { token: handler })).body.serial).toBe(first.body.serial);
    expect(delegated.status).toBe(403);
    expect(delegated.body.error).toBe(E.DelegatedEnrolment);
  });

  it('answers five concurrent duplicates of one enrolment (same Idempotency-Key and body) with one and the same key', async () => {
    // given
    const key = randomUUID();
    // when
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => httpRequest<Record<string, unknown>>(`${t.url}/signing-keys`, { token: handler, body: { reason: '证书到期更换' }, headers: { 'idempotency-key': key } })),
    );
    // then
    expect(answers.map((a) => a.status).every((s) => s === 201 || s === 200)).toBe(true);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await t.ownerQuery('SELECT 1 FROM officer_signing_keys WHERE enrolment_key = $1', [key])).toHaveLength(1);
  });

  it('keeps the verification within the organisation boundary and answers 404 for an unknown opinion', async () => {
    const c = await newCase();
    expect((await complete(c.taskId, handler)).status).toBe(200);
    const [o] = await opinionsOf(c.caseNumber, handler);
    const outsider = (await loginAs(id.identity, 'handler.resources')).access_token;
    expect((await verification(c.caseNumber, o.id, outsider)).status).toBe(403);
    const missing = await verification(c.caseNumber, '999999999', handler);
    expect(missing.status).toBe(404);
    expect((missing.body as unknown as { error: string }).error).toBe(E.OpinionNotFound);
  });
});
