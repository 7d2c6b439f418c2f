import { DEPTH_MARKER } from '@gov/ledger';
import { DataSource } from 'typeorm';
import { loadIdentityConfig } from '../config';
import { http, loginAs, startTestIdentity, type TestIdentity } from '../testing/test-app';
import { AuditRepository, type AuditEntry, auditLedger } from './audit.repository';
import { verifyAuditChain } from './verify-chain.command';

// Every hostile string of issue 7, in every field an audit record has.
const HOSTILE = [
  'a\u0000b',
  '\u0000',
  'ab\ud800cd',
  '张\ud800',
  '\udc00lead',
  'x'.repeat(100 * 1024),
  '张'.repeat(100 * 1024),
  'emoji 👍🏽‍👨‍👩‍👧 ok',
  '\u202Etxt.exe\u202C \u200F عربى \u200E',
  '\\ud800 typed as text',
  'quote " backslash \\ newline \n tab \t',
];

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { [`k${i}`]: v };
  return v;
}

describe('audit integrity: what is hashed is what is stored (real PostgreSQL)', () => {
  let t: TestIdentity;
  beforeAll(async () => {
    t = await startTestIdentity({ LEDGER_ANCHOR_INTERVAL_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('appends records built from every hostile string and verifies the chain re-read from PostgreSQL', async () => {
    // given
    const repo = t.app.get(AuditRepository);
    const entries: AuditEntry[] = HOSTILE.map((s, i) => ({
      actor: s,
      actorLabel: s,
      action: `hostile.${i}`,
      target: s,
      outcome: 'denied',
      ip: s,
      service: i % 2 ? 'identity' : 'intake',
      traceId: s,
      details: { [s]: s, value: s, list: [s, 1.5, -0, 1e21, Number('12345678901234567890'), null, true], deep: nested(200), n: Number.NaN, when: new Date('2026-12-01T00:00:00.123Z') },
    }));
    entries.push({ actor: null, action: 'hostile.nested', outcome: 'denied', details: nested(40_000) as Record<string, unknown> });
    // when
    const written = [];
    for (const e of entries) written.push(await repo.append(e));
    // then every row read back from PostgreSQL hashes to its stored hash
    const rows = [];
    for await (const r of auditLedger.records(t.app.get(DataSource))) rows.push(r);
    for (const w of written) {
      const row = rows.find((r) => r.partition === w.chainPartition && r.seq === w.chainSeq)!;
      expect(row.hash).toBe(w.hash);
      expect(auditLedger.hashOf(row.partition, row.seq, row.prevHash, row.fields)).toBe(row.hash);
    }
    const cmd = await verifyAuditChain(loadIdentityConfig({ NODE_ENV: 'test' }).values, t.database, 3);
    expect(cmd).toMatchObject({ ok: true, firstBroken: null });
    const admin = await loginAs(t, 'admin');
    const res = await http<{ ok: boolean; checked: number }>(`${t.url}/audit/verify`, { token: admin.access_token });
    expect(res.body.ok).toBe(true);
  });

  it('keeps a hostile value as a visible escape, and cuts an over-long one deterministically', async () => {
    // given
    const repo = t.app.get(AuditRepository);
    // when
    const w = await repo.append({ actor: 'ab\ud800cd', action: 'oauth.token', outcome: 'failure', target: 'a\u0000b', details: { client_id: '张\ud800', long: 'y'.repeat(10) } });
    const long = await repo.append({ actor: 'z'.repeat(100 * 1024), action: 'oauth.token', outcome: 'failure' });
    // then
    const [row] = await t.ownerQuery<{ actor: string; target: string; details: { client_id: string } }>(`SELECT actor, target, details FROM audit_log WHERE seq = $1`, [w.seq]);
    expect(row).toEqual({ actor: 'ab\\ud800cd', target: 'a\\u0000b', details: { client_id: '张\\ud800', long: 'yyyyyyyyyy' } });
    const [cut] = await t.ownerQuery<{ actor: string }>(`SELECT actor FROM audit_log WHERE seq = $1`, [long.seq]);
    expect(Array.from(cut.actor)).toHaveLength(128);
    expect(cut.actor).toMatch(/…\[102400 chars\]$/);
  });

  it('caps deeply nested details at a fixed depth with a marker', async () => {
    const w = await t.app.get(AuditRepository).append({ actor: null, action: 'deep', outcome: 'denied', details: { d: nested(1000) } });
    const [row] = await t.ownerQuery<{ d: string }>(`SELECT details::text AS d FROM audit_log WHERE seq = $1`, [w.seq]);
    expect(row.d).toContain(JSON.stringify(DEPTH_MARKER));
  });

  it('records the refusal of a token request with a lone-surrogate client_id and the chain holds (issue 7, item 9)', async () => {
    // when the raw JSON of the hostile request is sent
    const res = await fetch(`${t.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials","client_id":"ab\\ud800cd"}' });
    // then it is refused, and the audit trail still verifies
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const admin = await loginAs(t, 'admin');
    const verdict = await http<{ ok: boolean }>(`${t.url}/audit/verify`, { token: admin.access_token });
    expect(verdict.body.ok).toBe(true);
  });

  it('lists records by service and trace id', async () => {
    // given
    const repo = t.app.get(AuditRepository);
    await repo.append({ actor: 'u1', action: 'authz.denied', outcome: 'denied', service: 'approval', traceId: 'trace-abc-1' });
    await repo.append({ actor: 'u1', action: 'authz.denied', outcome: 'denied', service: 'approval', traceId: 'trace-abc-2' });
    const admin = await loginAs(t, 'admin');
    // when
    const byService = await http<Array<{ service: string }>>(`${t.url}/audit?service=approval`, { token: admin.access_token });
    const byTrace = await http<Array<{ traceId: string; service: string }>>(`${t.url}/audit?traceId=trace-abc-2`, { token: admin.access_token });
    // then
    expect(byService.body).toHaveLength(2);
    expect(byService.body.every((r) => r.service === 'approval')).toBe(true);
    expect(byTrace.body).toEqual([expect.objectContaining({ traceId: 'trace-abc-2', service: 'approval' })]);
  });
});
