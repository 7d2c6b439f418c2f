import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { STACK, eventually, http } from '@gov/testing';
import { APPLICANT_IDS, MARKET_SECTION, USERS, applicationBody, openStep, submitApplication } from './helpers';
import { claimsOf, flippedPayloadByte, hs256WithPublicJwk, kidOf, realSigningKey, sign, unsigned } from './support/forge';
import { type Operation, type ServiceName, SERVICE_NAMES, idempotencyHeader, loadOperations, urlOf } from './support/openapi';
import { DEMO, seedBody } from './support/operations';
import { defaultPathValues, requestId, resolveCaller, tokenOf } from './support/probes';
import { RawClient, type RawResponse } from './support/raw-client';

// The forged-token and cross-organisation matrix. Every guarded operation of every service (OpenAPI security, plus
// any operation that answers 401 without a token although its document does not say so) is called with each
// forged or wrong token; then a valid token of a wrong role; then real users reach for objects that are not
// theirs. Pass: every request refused (401 for a bad token, 403 for a wrong role, 403 or 404 for another's
// object; never 2xx, never 5xx), and every refusal present in identity's platform audit trail under the request's
// x-request-id (the trace id the service kit propagates into the security event).

const CONCURRENCY = 8;
const SOURCE_ADDRESS = process.env['E2E_MATRIX_SOURCE_ADDRESS'] ?? '127.0.0.3';
const AUDIT_WAIT_MS = 60_000;

type Expectation = 'unauthenticated' | 'forbidden' | 'forbidden-or-not-found';
const EXPECTED: Record<Expectation, number[]> = { unauthenticated: [401], forbidden: [403], 'forbidden-or-not-found': [403, 404] };

interface Attempt {
  service: ServiceName;
  what: string;
  variant: string;
  expect: Expectation;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  requestId: string;
  res?: RawResponse;
}

interface AuditEntry {
  seq?: string;
  at?: string;
  service?: string;
  traceId?: string | null;
  details?: { traceId?: string } | null;
}

describe('the forged-token and cross-organisation matrix', () => {
  const client = new RawClient({ concurrency: CONCURRENCY, localAddress: SOURCE_ADDRESS });
  afterAll(() => client.close());

  it('refuses every forged token, wrong role and foreign object on every guarded operation, and audits every refusal', async () => {
    // given every guarded operation, real tokens, identity's real key, and objects of one applicant and organisation
    const runStartedAt = new Date(Date.now() - 1000);
    const operations = await loadOperations();
    // A service whose document declares no security at all is probed: what answers 401 without a token is guarded.
    const undocumented: Operation[] = [];
    const silent = new Set(SERVICE_NAMES.filter((s) => !operations.some((o) => o.service === s && o.guarded)));
    for (const op of operations.filter((o) => !o.guarded && silent.has(o.service))) {
      const res = await client.send({ method: op.method, url: urlOf(op, defaultPathValues(op)), headers: op.body ? { 'content-type': 'application/json' } : {}, body: op.body ? JSON.stringify(seedBody(op, 'probe')) : undefined });
      if (res.status === 401) undocumented.push(op);
    }
    const guarded = [...operations.filter((o) => o.guarded), ...undocumented];
    const expiredByTheApi = delegatedTokenThatExpires();
    const real = await realSigningKey();
    const control = await sign(real, claimsOf(await tokenOf(DEMO.officer)));
    const controlRes = await http('GET', `${STACK.identity}/users/me`, undefined, { authorization: `Bearer ${control}` });
    expect({ controlTokenSignedWithTheKeyReadFromTheDatabase: controlRes.status }).toEqual({ controlTokenSignedWithTheKeyReadFromTheDatabase: 200 });

    const attempts: Attempt[] = [];
    const attempt = (a: Omit<Attempt, 'requestId' | 'headers'> & { headers?: Record<string, string> }): void => {
      const id = requestId();
      attempts.push({ ...a, requestId: id, headers: { ...(a.headers ?? {}), 'x-request-id': id, ...(a.body !== undefined ? { 'content-type': 'application/json' } : {}) } });
    };
    const unknownRoles: string[] = [];
    const lapsed = await expiredByTheApi;
    for (const op of guarded) {
      const caller = await resolveCaller(op, client);
      const user = caller.as === 'public' ? DEMO.officer : caller.as;
      const token = await tokenOf(user);
      const claims = claimsOf(token);
      const now = Math.floor(Date.now() / 1000);
      const idem = idempotencyHeader(op);
      const base = (): { method: string; url: string; body?: string; headers: Record<string, string> } => ({
        method: op.method,
        url: urlOf(op, defaultPathValues(op)),
        body: op.body ? JSON.stringify(seedBody(op, randomUUID().slice(0, 8))) : undefined,
        headers: idem ? { [idem]: randomUUID() } : {},
      });
      const forged: Array<[string, string | undefined]> = [
        ['absent', undefined],
        ['garbage', 'not-a-jwt'],
        ['alg none', unsigned({ ...claims, roles: ['sysadmin', ...((claims['roles'] as string[] | undefined) ?? [])] }, kidOf(token))],
        ['HS256 keyed with the public JWK', await hs256WithPublicJwk(claims)],
        ['one payload byte flipped', flippedPayloadByte(token)],
        ['expired (real key)', await sign(real, { ...claims, iat: now - 900, nbf: now - 900, exp: now - 600 })],
        ['expired (a delegated token identity issued, lapsed)', lapsed],
        ['wrong audience (real key)', await sign(real, { ...claims, aud: 'another-platform' })],
        ['wrong issuer (real key)', await sign(real, { ...claims, iss: 'http://issuer.invalid' })],
        ['wrong typ (real key)', await sign(real, claims, { typ: 'JWT' })],
        ['unknown kid (real key)', await sign(real, claims, { kid: `e2e-unknown-${randomUUID().slice(0, 8)}` })],
      ];
      for (const [variant, bad] of forged) {
        const b = base();
        attempt({ service: op.service, what: `${op.method} ${op.path}`, variant, expect: 'unauthenticated', ...b, headers: { ...b.headers, ...(bad === undefined ? {} : { authorization: `Bearer ${bad}` }) } });
      }
      if (caller.wrongRole) {
        const b = base();
        attempt({ service: op.service, what: `${op.method} ${op.path}`, variant: `wrong role (${caller.wrongRole})`, expect: 'forbidden', ...b, headers: { ...b.headers, authorization: `Bearer ${await tokenOf(caller.wrongRole)}` } });
      } else if (caller.how !== 'table') {
        unknownRoles.push(`${op.id} (${caller.how})`);
      }
    }

    // another applicant's object, both ways
    const zhangsans = await submitApplication();
    const lisisRes = await http<{ caseNumber: string }>('POST', `${STACK.intake}/applications`, applicationBody(APPLICANT_IDS.lisi, '李四'), { 'idempotency-key': randomUUID(), authorization: `Bearer ${await tokenOf(USERS.lisi)}` });
    expect(lisisRes.status).toBe(201);
    for (const [reader, owner, caseNumber] of [[USERS.lisi, USERS.zhangsan, zhangsans.caseNumber], [USERS.zhangsan, USERS.lisi, lisisRes.body.caseNumber]] as const) {
      attempt({ service: 'intake', what: 'GET /applications/{caseNumber}', variant: `${reader} reads ${owner}'s application`, expect: 'forbidden-or-not-found', method: 'GET', url: `${STACK.intake}/applications/${caseNumber}`, headers: { authorization: `Bearer ${await tokenOf(reader)}` } });
    }
    // another organisation's task and case: the market bureau's handler step, reached for by officers elsewhere
    const step = await openStep(zhangsans.caseNumber, USERS.handler, 'HandlerReview');
    await eventually('the case steps at supervision', async () => (await http('GET', `${STACK.supervision}/cases/${zhangsans.caseNumber}/steps`, undefined, { authorization: `Bearer ${await tokenOf(USERS.handler)}` })).status === 200);
    for (const other of [USERS.otherHandler, 'leader.resources', 'handler.dongcheng']) {
      const auth = { authorization: `Bearer ${await tokenOf(other)}` };
      const cn = zhangsans.caseNumber;
      attempt({ service: 'approval', what: 'GET /cases/{caseNumber}', variant: `${other} reads the market bureau's case`, expect: 'forbidden-or-not-found', method: 'GET', url: `${STACK.approval}/cases/${cn}`, headers: auth });
      attempt({ service: 'approval', what: 'GET /cases/{caseNumber}/actions', variant: `${other} reads the market bureau's case actions`, expect: 'forbidden-or-not-found', method: 'GET', url: `${STACK.approval}/cases/${cn}/actions`, headers: auth });
      attempt({ service: 'approval', what: 'GET /worklist', variant: `${other} lists the market section's group`, expect: 'forbidden', method: 'GET', url: `${STACK.approval}/worklist?group=${encodeURIComponent(`handler:${MARKET_SECTION}`)}`, headers: auth });
      attempt({ service: 'approval', what: 'POST /tasks/{taskId}/claim', variant: `${other} claims the market bureau's task`, expect: 'forbidden-or-not-found', method: 'POST', url: `${STACK.approval}/tasks/${step.taskId}/claim`, headers: auth });
      attempt({
        service: 'approval',
        what: 'POST /tasks/{taskId}/complete',
        variant: `${other} completes the market bureau's task`,
        expect: 'forbidden-or-not-found',
        method: 'POST',
        url: `${STACK.approval}/tasks/${step.taskId}/complete`,
        headers: { ...auth, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ outcome: 'approve', opinion: '越权操作' }),
      });
      // the officers' task actions on the same step and case (each takes an Idempotency-Key; every one must be refused)
      const actions: Array<[string, string, unknown]> = [
        ['POST /tasks/{taskId}/unclaim', `/tasks/${step.taskId}/unclaim`, undefined],
        ['POST /tasks/{taskId}/return', `/tasks/${step.taskId}/return`, { toStep: 'HandlerReview', reason: '越权退回' }],
        ['POST /tasks/{taskId}/take-back', `/tasks/${step.taskId}/take-back`, undefined],
        ['POST /tasks/{taskId}/transfer', `/tasks/${step.taskId}/transfer`, { toOfficer: claimsOf(await tokenOf(other)).sub, reason: '越权转办' }],
        ['POST /tasks/{taskId}/joint-meeting', `/tasks/${step.taskId}/joint-meeting`, { reason: '越权提请会审' }],
        ['POST /cases/{caseNumber}/suspensions', `/cases/${cn}/suspensions`, { reason: 'hearing', expectedDays: 5 }],
        ['POST /cases/{caseNumber}/suspensions/current/resume', `/cases/${cn}/suspensions/current/resume`, undefined],
      ];
      for (const [what, path, body] of actions) {
        attempt({
          service: 'approval',
          what,
          variant: `${other} acts on the market bureau's ${path.startsWith('/cases') ? 'case' : 'task'}`,
          expect: 'forbidden-or-not-found',
          method: 'POST',
          url: `${STACK.approval}${path}`,
          headers: { ...auth, 'idempotency-key': randomUUID() },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      }
      attempt({ service: 'intake', what: 'GET /applications/{caseNumber}', variant: `${other} reads an application handled by the market bureau`, expect: 'forbidden-or-not-found', method: 'GET', url: `${STACK.intake}/applications/${cn}`, headers: auth });
      attempt({ service: 'supervision', what: 'GET /cases/{caseNumber}/steps', variant: `${other} reads the market bureau's case steps`, expect: 'forbidden-or-not-found', method: 'GET', url: `${STACK.supervision}/cases/${cn}/steps`, headers: auth });
    }

    // when every attempt is made
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < attempts.length) {
          const a = attempts[next++];
          a.res = await client.send({ method: a.method, url: a.url, headers: a.headers, body: a.body });
        }
      }),
    );

    // then every one is refused as it should be
    const answered = (a: Attempt): number => a.res?.status ?? 0;
    const allowed = attempts.filter((a) => answered(a) >= 200 && answered(a) < 300);
    const unexpected = attempts.filter((a) => !EXPECTED[a.expect].includes(answered(a)));
    // and every refusal is in the platform audit trail
    const audit = await findInAuditTrail(attempts, runStartedAt);
    const notAudited = attempts.filter((a) => !audit.found.has(a.requestId));

    const byVariant = new Map<string, number>();
    for (const a of notAudited) byVariant.set(`${a.service} ${a.variant.replace(/ \(.*\)$/, '')}`, (byVariant.get(`${a.service} ${a.variant.replace(/ \(.*\)$/, '')}`) ?? 0) + 1);
    console.log(
      [
        `forged-token matrix: ${guarded.length} guarded operations (${undocumented.length} found by probing services whose document declares no security), ${attempts.length} attempts, ${allowed.length} allowed, ${unexpected.length} with an unexpected status, ${notAudited.length} not in the audit trail`,
        ...SERVICE_NAMES.map((s) => `  ${s.padEnd(12)} ${attempts.filter((a) => a.service === s).length} attempts, ${allowed.filter((a) => a.service === s).length} allowed, ${notAudited.filter((a) => a.service === s).length} not audited`),
        `  audit lookup: ${audit.how}; sent again after a stale kept-alive connection: ${attempts.filter((a) => a.res?.retriedStale).length}`,
        ...(unknownRoles.length ? [`  no wrong-role case (operation not in the role table): ${unknownRoles.join(', ')}`] : []),
        ...unexpected.slice(0, 60).map((a) => `  UNEXPECTED ${a.service} ${a.what} [${a.variant}] expected ${EXPECTED[a.expect].join('/')} got ${answered(a)} ${a.res?.failure ?? ''} ${a.res?.text.slice(0, 200) ?? ''}`),
        ...[...byVariant.entries()].map(([k, n]) => `  NOT AUDITED ${k}: ${n} (e.g. ${notAudited.find((a) => `${a.service} ${a.variant.replace(/ \(.*\)$/, '')}` === k)?.requestId})`),
      ].join('\n'),
    );

    expect({ allowed: allowed.length, unexpected: unexpected.map((a) => `${a.service} ${a.what} [${a.variant}] ${answered(a)}`), notAudited: notAudited.length, auditLookup: audit.error }).toEqual({
      allowed: 0,
      unexpected: [],
      notAudited: 0,
      auditLookup: undefined,
    });
  }, 300_000);

  /**
   * A token identity itself signed, expired without anyone touching its key: a section chief delegates to a deputy
   * for a few seconds, the deputy exchanges their token for a delegated one (its exp is the delegation's end), and
   * the promise resolves once that exp plus the services' clock tolerance (5 s) has passed.
   */
  async function delegatedTokenThatExpires(): Promise<string> {
    const endsAt = new Date(Date.now() + 4000);
    const delegation = await http<{ id: string }>(
      'POST',
      `${STACK.identity}/delegations`,
      { toUsername: 'deputy.market', orgCode: MARKET_SECTION, roles: ['section_chief'], mode: 'delegation', endsAt: endsAt.toISOString(), reason: 'e2e 过期令牌' },
      { authorization: `Bearer ${await tokenOf(DEMO.chief)}`, 'idempotency-key': randomUUID() },
    );
    if (delegation.status !== 201) throw new Error(`delegation refused: ${delegation.status} ${JSON.stringify(delegation.body)}`);
    const exchanged = await http<{ access_token: string }>('POST', `${STACK.identity}/auth/token/delegated`, { delegationId: delegation.body.id }, { authorization: `Bearer ${await tokenOf('deputy.market')}` });
    if (exchanged.status !== 200) throw new Error(`delegated token refused: ${exchanged.status} ${JSON.stringify(exchanged.body)}`);
    const fresh = await http('GET', `${STACK.identity}/users/me`, undefined, { authorization: `Bearer ${exchanged.body.access_token}` });
    if (fresh.status !== 200) throw new Error(`the delegated token was not accepted while valid: ${fresh.status}; its expiry would prove nothing`);
    const exp = decodeJwt(exchanged.body.access_token).exp ?? 0;
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 + 6500 - Date.now())));
    return exchanged.body.access_token;
  }

  /**
   * Looks every attempt up in identity's audit trail, as a supervisor: `GET /audit?service=&traceId=` per request;
   * if identity does not take those filters, pages through `GET /audit?service=` (or `GET /audit`) back to the run's
   * start. Retries the missing ones until AUDIT_WAIT_MS has passed (the events travel outbox → Kafka → identity).
   */
  async function findInAuditTrail(attempts: Attempt[], since: Date): Promise<{ found: Set<string>; how: string; error?: string }> {
    const found = new Set<string>();
    const auth = { authorization: `Bearer ${await tokenOf(DEMO.supervisor)}` };
    const matches = (e: AuditEntry, a: Attempt): boolean => (e.traceId === a.requestId || e.details?.traceId === a.requestId) && (e.service === undefined || e.service === a.service);
    const probe = await http<unknown>('GET', `${STACK.identity}/audit?service=${attempts[0]?.service ?? 'identity'}&traceId=${attempts[0]?.requestId ?? 'x'}`, undefined, auth);
    const perId = probe.status === 200;
    const deadline = Date.now() + AUDIT_WAIT_MS;
    let how = perId ? 'GET /audit?service=&traceId= per request' : '';
    const firstError = perId ? undefined : `GET /audit?service=&traceId= answered ${probe.status} ${JSON.stringify(probe.body).slice(0, 200)}`;
    let error = firstError;
    for (;;) {
      const missing = attempts.filter((a) => !found.has(a.requestId));
      if (missing.length === 0 || Date.now() > deadline) break;
      if (perId) {
        let i = 0;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (i < missing.length) {
              const a = missing[i++];
              const res = await http<unknown>('GET', `${STACK.identity}/audit?service=${a.service}&traceId=${encodeURIComponent(a.requestId)}`, undefined, auth);
              if (entriesOf(res.body).some((e) => matches(e, a))) found.add(a.requestId);
            }
          }),
        );
      } else {
        const paged = await pageAudit(auth, since);
        how = `paging ${paged.query} (the per-request filter is not available)`;
        error = [firstError, paged.error].filter(Boolean).join('; ') || undefined;
        for (const a of missing) if (paged.entries.some((e) => matches(e, a))) found.add(a.requestId);
      }
      if (attempts.every((a) => found.has(a.requestId))) break;
      await new Promise((r) => setTimeout(r, 3000));
    }
    return { found, how, error };
  }

  async function pageAudit(auth: Record<string, string>, since: Date): Promise<{ entries: AuditEntry[]; query: string; error?: string }> {
    const all: AuditEntry[] = [];
    let error: string | undefined;
    for (const services of [SERVICE_NAMES.map((s) => `service=${s}&`), ['']]) {
      all.length = 0;
      let refused = false;
      for (const filter of services) {
        let before: string | undefined;
        for (let page = 0; page < 100; page++) {
          const res = await http<unknown>('GET', `${STACK.identity}/audit?${filter}limit=500${before ? `&beforeSeq=${before}` : ''}`, undefined, auth);
          if (res.status !== 200) {
            refused = true;
            error = `GET /audit?${filter}limit=500 answered ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`;
            break;
          }
          const entries = entriesOf(res.body);
          all.push(...entries);
          const last = entries[entries.length - 1];
          if (!last?.seq || (last.at && new Date(last.at) < since) || entries.length < 500) break;
          before = last.seq;
        }
        if (refused) break;
      }
      if (!refused) return { entries: all, query: services[0] ? 'GET /audit?service=' : 'GET /audit', error: services[0] ? undefined : error };
    }
    return { entries: all, query: 'GET /audit', error };
  }
});

function entriesOf(body: unknown): AuditEntry[] {
  if (Array.isArray(body)) return body as AuditEntry[];
  if (body && typeof body === 'object') {
    for (const key of ['items', 'records', 'entries', 'data']) {
      const v = (body as Record<string, unknown>)[key];
      if (Array.isArray(v)) return v as AuditEntry[];
    }
  }
  return [];
}

