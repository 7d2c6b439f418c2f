import { type SignedAnchor, checkAnchor } from '@gov/ledger';
import { eventually } from '@gov/testing';
import { DataSource } from 'typeorm';
import { AuditRepository, auditLedger } from '../audit/audit.repository';
import { http, loginAs, startTestIdentity, type TestIdentity } from '../testing/test-app';
import { AnchorErrors } from './anchors.errors';

interface Verdict {
  ok: boolean;
  checked: number;
  anchorsChecked: number;
  firstBroken: { partition: string; seq: string; reason: string; detail: string } | null;
  acknowledged: Array<{ partition: string; seq: string; reanchoredAt: string }>;
}

async function serviceToken(t: TestIdentity, clientId: string): Promise<string> {
  const res = await http<{ access_token: string }>(`${t.url}/oauth/token`, { body: { grant_type: 'client_credentials', client_id: clientId, client_secret: t.config.DEMO_SERVICE_SECRET } });
  if (res.status !== 200) throw new Error(`token for ${clientId}: ${res.status}`);
  return res.body.access_token;
}

describe('ledger anchors (real PostgreSQL)', () => {
  let t: TestIdentity;
  let admin: string;
  beforeAll(async () => {
    t = await startTestIdentity({ LEDGER_ANCHOR_INTERVAL_SECONDS: '0' });
    admin = (await loginAs(t, 'admin')).access_token;
    await http(`${t.url}/auth/login`, { body: { username: 'nobody', password: 'x-wrong-password' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("signs the audit chains' heads on demand, publishes them through the outbox and serves them with a valid signature", async () => {
    // when
    const anchored = await http<{ submitted: number }>(`${t.url}/ledger/anchors/audit`, { method: 'POST', token: admin, body: {} });
    // then
    expect(anchored.status).toBe(200);
    expect(anchored.body.submitted).toBeGreaterThanOrEqual(1);
    const res = await http<{ items: SignedAnchor[] }>(`${t.url}/ledger/anchors?ledger=identity.audit`, { token: admin });
    expect(res.status).toBe(200);
    const head = res.body.items.find((a) => a.partition === 'identity')!;
    const stored = await t.ownerQuery<{ hash: string }>(`SELECT hash FROM audit_log WHERE chain_partition = 'identity' AND chain_seq = $1`, [head.seq]);
    expect(head.hash).toBe(stored[0].hash);
    const chain = await http<{ issuing: string }>(`${t.url}/ca/chain`);
    expect(await checkAnchor(head, { issuingPem: chain.body.issuing })).not.toHaveProperty('invalid');
    const outbox = await t.ownerQuery<{ topic: string; type: string; key: string }>(`SELECT topic, type, key FROM outbox WHERE type = 'gov.platform.ledger.anchored'`);
    expect(outbox).toEqual(expect.arrayContaining([{ topic: 'platform.ledger-anchor.v1', type: 'gov.platform.ledger.anchored', key: 'identity.audit' }]));
    // and the relay publishes them to Kafka
    await eventually('anchors published', async () => {
      const left = await t.ownerQuery(`SELECT 1 FROM outbox WHERE type = 'gov.platform.ledger.anchored' AND published_at IS NULL`);
      return left.length === 0;
    });
  });

  it("refuses a forged signature: a head whose JWS was altered does not verify", async () => {
    // given a published head
    const res = await http<{ items: SignedAnchor[] }>(`${t.url}/ledger/anchors?ledger=identity.audit`, { token: admin });
    const chain = await http<{ issuing: string }>(`${t.url}/ca/chain`);
    const head = res.body.items[0];
    // when its hash is changed but the signature kept
    const checked = await checkAnchor({ ...head, hash: 'f'.repeat(64) }, { issuingPem: chain.body.issuing });
    // then
    expect(checked.invalid).toMatch(/differs/);
  });

  it("lets a service anchor its own ledger's heads, idempotently, and refuses another service's ledger and a rewritten head", async () => {
    // given
    const token = await serviceToken(t, 'approval');
    const head = { ledger: 'approval.opinions', partition: '441200-20261201-000001', seq: '3', hash: 'a'.repeat(64) };
    // when
    const first = await http<{ anchors: SignedAnchor[] }>(`${t.url}/ledger/anchors`, { method: 'POST', token, body: { heads: [head] } });
    const again = await http<{ anchors: SignedAnchor[] }>(`${t.url}/ledger/anchors`, { method: 'POST', token, body: { heads: [head] } });
    const foreign = await http(`${t.url}/ledger/anchors`, { method: 'POST', token, body: { heads: [{ ...head, ledger: 'supervision.alerts' }] } });
    const rewritten = await http<{ error: string }>(`${t.url}/ledger/anchors`, { method: 'POST', token, body: { heads: [{ ...head, hash: 'b'.repeat(64) }] } });
    const bad = await http(`${t.url}/ledger/anchors`, { method: 'POST', token, body: { heads: [{ ...head, seq: '0' }] } });
    // then
    expect(first.status).toBe(200);
    expect(again.body.anchors[0]).toEqual(first.body.anchors[0]);
    expect(foreign.status).toBe(403);
    expect(rewritten.status).toBe(409);
    expect(rewritten.body.error).toBe(AnchorErrors.code.AnchorConflict);
    expect(bad.status).toBe(400);
    const listed = await http<{ items: SignedAnchor[] }>(`${t.url}/ledger/anchors?ledger=approval.opinions&partition=441200-20261201-000001`, { token });
    expect(listed.body.items).toEqual([first.body.anchors[0]]);
    const conflict = await t.ownerQuery(`SELECT 1 FROM audit_log WHERE action = 'ledger.anchor-conflict'`);
    expect(conflict).toHaveLength(1);
  });

  it('repairs a chain broken before the fix with a signed re-anchor record, never rewriting the old records', async () => {
    // given a record hashed over one string and stored as another (the pre-fix client_id bug), appended as the owner
    const repo = t.app.get(AuditRepository);
    await repo.append({ actor: 'before-break', action: 'auth.login', outcome: 'success' });
    const head = (await repo.head('identity'))!;
    const seq = String(BigInt(head.seq) + 1n);
    const fields = auditLedger.normalise({ at: new Date(), actor: 'ab\ud800cd', actorLabel: null, action: 'oauth.token', target: null, outcome: 'failure', ip: null, details: {}, service: 'identity', traceId: null });
    const hash = auditLedger.hashOf('identity', seq, head.hash, { ...fields, actor: 'ab\ud800cd' });
    await t.ownerQuery(
      `INSERT INTO audit_log (at, actor, action, outcome, details, service, chain_partition, chain_seq, prev_hash, hash) VALUES ($1, 'ab\uFFFDcd', 'oauth.token', 'failure', '{}', 'identity', 'identity', $2, $3, $4)`,
      [fields.at, seq, head.hash, hash],
    );
    await repo.append({ actor: 'after-break', action: 'auth.login', outcome: 'success' });
    const broken = await http<Verdict>(`${t.url}/audit/verify`, { token: admin });
    expect(broken.body).toMatchObject({ ok: false, firstBroken: { partition: 'identity', seq, reason: 'content-edited' } });
    // when a sysadmin names a break other than the first (a stale or guessed one), then the one verification reports
    const reason = 'client_id stored as U+FFFD before the ledger fix; checked by the security office';
    const wrong = await http<{ error: string }>(`${t.url}/ledger/reanchor`, { method: 'POST', token: admin, body: { ledger: 'identity.audit', partition: 'identity', seq: String(BigInt(seq) + 1n), reason } });
    const otherLedger = await http<{ error: string }>(`${t.url}/ledger/reanchor`, { method: 'POST', token: admin, body: { ledger: 'approval.opinions', partition: 'identity', seq, reason } });
    const res = await http<{ seq: string; chainSeq: string; statement: { brokenAt: string } }>(`${t.url}/ledger/reanchor`, { method: 'POST', token: admin, body: { ledger: 'identity.audit', partition: 'identity', seq, reason } });
    // then the wrong break and another service's ledger are refused, and the refusal is audited
    expect(wrong.status).toBe(409);
    expect(wrong.body.error).toBe(AnchorErrors.code.BreakMismatch);
    expect(otherLedger.status).toBe(400);
    // then the break is acknowledged, the chain verifies from the re-anchor on, and the old record is unchanged
    expect(res.status).toBe(201);
    expect(res.body.statement.brokenAt).toBe(seq);
    await repo.append({ actor: 'after-repair', action: 'auth.login', outcome: 'success' });
    const after = await http<Verdict>(`${t.url}/audit/verify`, { token: admin });
    expect(after.body).toMatchObject({ ok: true, firstBroken: null, acknowledged: [{ partition: 'identity', seq, reanchoredAt: res.body.chainSeq }] });
    const old = await t.ownerQuery<{ actor: string; hash: string }>(`SELECT actor, hash FROM audit_log WHERE chain_partition = 'identity' AND chain_seq = $1`, [seq]);
    expect(old[0]).toEqual({ actor: 'ab\uFFFDcd', hash });
    const audited = await t.ownerQuery<{ outcome: string; refused: string | null }>(`SELECT outcome, details->>'refused' AS refused FROM audit_log WHERE action = 'ledger.reanchored' ORDER BY seq`);
    expect(audited).toEqual([
      { outcome: 'failure', refused: AnchorErrors.code.BreakMismatch },
      { outcome: 'success', refused: null },
    ]);
    // and with nothing left to acknowledge, a second re-anchor is refused, and that is audited too
    const again = await http<{ error: string }>(`${t.url}/ledger/reanchor`, { method: 'POST', token: admin, body: { ledger: 'identity.audit', partition: 'identity', seq, reason: 'nothing is broken any more, refuse' } });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe(AnchorErrors.code.ChainIntact);
    expect(await t.ownerQuery(`SELECT details->>'refused' AS refused FROM audit_log WHERE action = 'ledger.reanchored' ORDER BY seq DESC LIMIT 1`)).toEqual([{ refused: AnchorErrors.code.ChainIntact }]);
  });

  it('detects a whole chain rewritten consistently by the superuser, triggers dropped, through the signed heads', async () => {
    // given the chains anchored
    await http(`${t.url}/ledger/anchors/audit`, { method: 'POST', token: admin, body: {} });
    const before = await http<Verdict>(`${t.url}/audit/verify`, { token: admin });
    expect(before.body.ok).toBe(true);
    expect(before.body.anchorsChecked).toBeGreaterThanOrEqual(1);
    // when the superuser drops the triggers and rewrites every record of identity's chain with recomputed hashes
    await t.superQuery(`DROP TRIGGER audit_log_no_update_delete ON audit_log`);
    const rows: Array<{ seq: string; fields: Record<string, unknown>; record: string }> = [];
    for await (const r of auditLedger.records(t.app.get(DataSource), { partition: 'identity' })) rows.push({ seq: r.seq, fields: r.fields, record: r.record });
    let prev = '0'.repeat(64);
    for (const r of rows) {
      const fields = { ...r.fields, outcome: r.fields.outcome === 'failure' ? 'success' : r.fields.outcome } as Parameters<typeof auditLedger.hashOf>[3];
      const hash = auditLedger.hashOf('identity', r.seq, prev, fields);
      await t.superQuery(`UPDATE audit_log SET outcome = $1, prev_hash = $2, hash = $3 WHERE chain_partition = 'identity' AND chain_seq = $4`, [fields.outcome, prev, hash, r.seq]);
      prev = hash;
    }
    // then every link and hash holds, but the stored chain no longer matches the head identity signed
    const chainsOnly = await auditLedger.verify(t.app.get(DataSource), { partition: 'identity' });
    expect(chainsOnly).toMatchObject({ ok: true, firstBroken: null });
    const after = await http<Verdict>(`${t.url}/audit/verify`, { token: admin });
    expect(after.body.ok).toBe(false);
    expect(after.body.firstBroken).toMatchObject({ partition: 'identity', reason: 'anchor-mismatch' });
  });
});
