import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { residentIdCheckChar } from '@gov/contracts';
import { STACK, http } from '@gov/testing';
import { type Operation, SERVICES, SERVICE_NAMES, type Schema, type ServiceName, idempotencyHeader, loadOperations, pathParams, queryParams, urlOf } from './support/openapi';
import { DEMO, conflictingVariants, paramValue, seedBody } from './support/operations';
import { type ResolvedCaller, defaultPathValues, requestId, resolveCaller, tokenOf } from './support/probes';
import { RawClient, type RawRequest, type RawResponse, parsed } from './support/raw-client';
import { loggedErrors, normalise, stackLogDir } from './support/stack-logs';

// The bad-input suite. Every operation of every service, read from the services' own OpenAPI documents, gets
// malformed requests of every class of the hardening issue, sent with a token of a role allowed to call it.
// Pass: no answer at or above 500, no connection reset, every service ready afterwards, identity's audit chain
// intact afterwards, and the idempotency contract kept (a reused key never does a second, different thing; five
// concurrent duplicates make one result).

const CONCURRENCY = 8;
const MAX_REQUESTS = 9_000;
const TIME_LIMIT_MS = 240_000;
/** The suite's junk comes from its own loopback address, so it spends that address's budgets and no one else's. */
const SOURCE_ADDRESS = process.env['E2E_SOURCE_ADDRESS'] ?? '127.0.0.2';

// Markers replaced in the JSON text after JSON.stringify (which would otherwise escape or reject what they stand for).
const SUR = '@@SUR@@'; // a lone high surrogate, sent as the six characters \ud800
const LOW = '@@LOW@@'; // a lone low surrogate, \udc00
const PROTO = '@@PROTO@@'; // a "__proto__" key (assigning it to an object would set the prototype instead)
const raw = (text: string): string => `@@RAW:${text}@@`; // a number literal JSON.stringify cannot write (1e400)

function jsonText(value: unknown): string {
  return JSON.stringify(value)
    .replace(/"@@RAW:([^@]*)@@"/g, '$1')
    .replaceAll(SUR, '\\ud800')
    .replaceAll(LOW, '\\udc00')
    .replaceAll(PROTO, '__proto__');
}

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';
interface Field {
  path: Array<string | number>;
  kind: Kind;
  schema?: Schema;
  name: string;
}

function kindOf(value: unknown, schema?: Schema): Kind {
  if (value !== undefined) {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'array';
    const t = typeof value;
    return t === 'string' || t === 'number' || t === 'boolean' || t === 'object' ? t : 'string';
  }
  if (schema?.type === 'integer') return 'number';
  if (schema?.type === 'string' || schema?.type === 'number' || schema?.type === 'boolean' || schema?.type === 'object' || schema?.type === 'array') return schema.type;
  return schema?.properties ? 'object' : 'string';
}

/** Every field of a body: those of the well-formed example and those its schema declares. */
function fieldsOf(value: unknown, schema: Schema | undefined, path: Array<string | number> = []): Field[] {
  const out: Field[] = [];
  const kind = kindOf(value, schema);
  if (path.length > 0) out.push({ path, kind, schema, name: String(path[path.length - 1]) });
  if (kind === 'object') {
    const obj = (value ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(obj), ...Object.keys(schema?.properties ?? {})])];
    for (const k of keys) out.push(...fieldsOf(obj[k], schema?.properties?.[k], [...path, k]));
  } else if (kind === 'array' && Array.isArray(value) && value.length > 0) {
    out.push(...fieldsOf(value[0], schema?.items, [...path, 0]));
  }
  return out;
}

function withValue(body: unknown, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
}

function without(body: unknown, path: Array<string | number>): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (Array.isArray(node)) node.splice(Number(last), 1);
  else delete node[last];
  return copy;
}

const isUuidField = (f: Field): boolean => f.schema?.format === 'uuid' || /(^id$|Id$)/.test(f.name);
const isDateField = (f: Field): boolean => f.schema?.format === 'date-time' || f.schema?.format === 'date' || /(At|Date|date|Time)$/.test(f.name);

interface Variant {
  cls: string;
  field?: string;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  pathValues?: Record<string, string>;
  query?: string;
  /** Send the idempotency key header (a fresh one unless headers name one). Default true when the op declares it. */
  idempotencyKey?: boolean;
}

interface Probe {
  op: Operation;
  cls: string;
  field?: string;
  /** Requests sent one after the other, or all at once. */
  mode: 'sequence' | 'concurrent';
  variants: Variant[];
  /** A contract beyond "below 500": returns what was wrong, if anything. */
  check?: (answers: RawResponse[]) => string | undefined;
}

let counter = 0;
const runId = randomUUID().slice(0, 6).replace(/[^a-z0-9]/g, 'a');
function unique(): string {
  counter += 1;
  return `${runId}${counter.toString(36)}`;
}

/** A well-formed body that names something new each time (usernames, document codes, resident IDs). */
/** The same request with its last string value changed: a body that really differs from the first under one key. */
function otherBody(body: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as unknown;
  let last: { holder: Record<string, unknown>; key: string } | undefined;
  const stack: unknown[] = [copy];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        if (typeof child === 'string') last ??= { holder: v as Record<string, unknown>, key: k };
        else stack.push(child);
      }
    }
  }
  if (last) last.holder[last.key] = `${String(last.holder[last.key])}二`;
  return copy;
}

function freshBody(op: Operation): unknown {
  const u = unique();
  const body = seedBody(op, u);
  if (op.method === 'POST' && op.path === '/applicants/register') {
    const n = Number.parseInt(u.slice(-6), 36) % 1_000_000;
    const first17 = `4499011990${String(101 + (n % 28)).padStart(4, '0')}${String(n % 1000).padStart(3, '0')}`;
    return { ...(body as object), applicantId: first17 + residentIdCheckChar(first17) };
  }
  return body;
}

const DEEP = '['.repeat(40_000) + ']'.repeat(40_000);

function bodyClasses(op: Operation): Variant[] {
  // Each variant names something new (a username, a document code), so that one accepted request cannot turn the
  // next into a duplicate.
  const first = fieldsOf(freshBody(op), op.body)[0]?.path[0] ?? 'value';
  const fresh = (): object => freshBody(op) as object;
  const out: Variant[] = [
    { cls: 'deep-nesting', body: DEEP },
    { cls: 'deep-nesting', field: String(first), body: `{${JSON.stringify(String(first))}:${DEEP}}` },
    { cls: 'gzip-not-gzip', body: jsonText(fresh()), headers: { 'content-encoding': 'gzip' } },
    { cls: 'deflate-not-deflate', body: jsonText(fresh()), headers: { 'content-encoding': 'deflate' } },
    { cls: 'unknown-content-encoding', body: jsonText(fresh()), headers: { 'content-encoding': 'x-e2e' } },
    { cls: 'gzip-bomb', body: gzipSync(Buffer.from(JSON.stringify({ [String(first)]: 'x'.repeat(10_000_000) }))), headers: { 'content-encoding': 'gzip' } },
    { cls: 'invalid-json', body: '{"a":' },
    { cls: 'invalid-json', field: 'trailing comma', body: jsonText(fresh()).replace(/}$/, ',}') },
    { cls: 'invalid-utf8', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]) },
    { cls: 'wrong-content-type', field: 'text/plain', body: jsonText(fresh()), contentType: 'text/plain' },
    { cls: 'wrong-content-type', field: 'application/xml', body: '<a><b>&lt;</b></a>', contentType: 'application/xml' },
    { cls: 'wrong-content-type', field: 'form-urlencoded', body: 'a[b][c][d][e][f][g][h][i]=1&x=%00&y=%ED%A0%80', contentType: 'application/x-www-form-urlencoded' },
    { cls: 'wrong-content-type', field: 'multipart', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n\u0000\r\n--x--', contentType: 'multipart/form-data; boundary=x' },
    { cls: 'empty-body', body: '' },
    { cls: 'null-body', body: 'null' },
    { cls: 'wrong-type-body', field: 'array', body: '[]' },
    { cls: 'wrong-type-body', field: 'string', body: '"x"' },
    { cls: 'wrong-type-body', field: 'number', body: '-1e400' },
    { cls: 'unknown-field', body: jsonText({ ...fresh(), e2eUnknownField: 1 }) },
    { cls: 'proto-key', body: jsonText({ ...fresh(), [PROTO]: { polluted: true, roles: ['sysadmin'] } }) },
    { cls: 'constructor-key', body: jsonText({ ...fresh(), constructor: { prototype: { polluted: true } } }) },
    { cls: 'nul-in-key', body: jsonText({ ...fresh(), 'k\u0000ey': 'v' }) },
    { cls: 'surrogate-in-key', body: jsonText({ ...fresh(), [`张${SUR}`]: 'v' }) },
  ];
  return out;
}

function fieldClasses(op: Operation): Variant[] {
  const seed = freshBody(op);
  const out: Variant[] = [];
  const mutate = (cls: string, f: Field, value: unknown): void => {
    out.push({ cls, field: f.path.join('.'), body: jsonText(withValue(freshBody(op), f.path, value)) });
  };
  for (const f of fieldsOf(seed, op.body)) {
    const current = f.path.reduce<unknown>((node, step) => (node as Record<string | number, unknown> | undefined)?.[step], seed);
    if (typeof f.path[f.path.length - 1] === 'string') out.push({ cls: 'missing-field', field: f.path.join('.'), body: jsonText(without(freshBody(op), f.path)) });
    switch (f.kind) {
      case 'string':
        mutate('nul-in-string', f, `前\u0000后`);
        mutate('surrogate-in-string', f, `张${SUR}`);
        mutate('surrogate-in-string', f, `${LOW}x`);
        mutate('long-string-100k', f, 'x'.repeat(100 * 1024));
        mutate('emoji', f, `${typeof current === 'string' ? current : ''}😀👍🏽🏛️`);
        mutate('wrong-type', f, 12345);
        mutate('wrong-type', f, { $gt: '' });
        mutate('null', f, null);
        if (isUuidField(f)) {
          mutate('non-uuid-id', f, '0');
          mutate('non-uuid-id', f, 'not-a-uuid');
        }
        if (isDateField(f)) for (const d of ['2027-W01', '20270101', '2027-02-30T00:00:00Z', '+275760-09-13T00:00:00.001Z']) mutate('non-instant-date', f, d);
        break;
      case 'number':
        mutate('negative-number', f, -1);
        mutate('huge-number', f, 1e308);
        mutate('huge-number', f, raw('1e400'));
        mutate('huge-number', f, raw('9007199254740993'));
        mutate('fractional-number', f, 1.5);
        mutate('wrong-type', f, '12');
        mutate('wrong-type', f, 'abc');
        mutate('null', f, null);
        break;
      case 'boolean':
        mutate('wrong-type', f, 'yes');
        mutate('null', f, null);
        break;
      case 'object':
        mutate('null-for-object', f, null);
        mutate('wrong-type', f, 'not-an-object');
        mutate('wrong-type', f, []);
        mutate('nul-in-key', f, { ...((current) ?? {}), 'k\u0000ey': 'v\u0000' });
        mutate('surrogate-in-key', f, { ...((current) ?? {}), [`键${SUR}`]: `值${SUR}` });
        mutate('proto-key', f, { ...((current) ?? {}), [PROTO]: { polluted: true } });
        mutate('deep-nesting', f, JSON.parse('['.repeat(500) + ']'.repeat(500)) as unknown);
        break;
      case 'array':
        mutate('null-for-object', f, null);
        mutate('wrong-type', f, 'not-an-array');
        mutate('empty-array', f, []);
        mutate('huge-array', f, Array.from({ length: 5000 }, () => 1));
        break;
      case 'null':
        mutate('wrong-type', f, 'x');
        break;
    }
  }
  return out;
}

/** Path and query classes go with a well-formed body, so that the parameter, not the body, is what is refused. */
function wellFormedBody(op: Operation): string | undefined {
  return op.body ? jsonText(freshBody(op)) : undefined;
}

const PATH_VALUES = ['%00', 'a%00b', '%ED%A0%80', '%E5%BC%A0%ED%A0%80', '0', '-1', '%F0%9F%98%80', 'x'.repeat(3000), '%', '%zz', '..%2F..%2Fhealth', "'%20OR%201%3D1--"];

function pathClasses(op: Operation): Variant[] {
  const out: Variant[] = [];
  for (const p of pathParams(op)) {
    for (const v of PATH_VALUES) {
      const cls = v.includes('%00') ? 'nul-in-path' : v.includes('%ED%A0%80') ? 'surrogate-in-path' : /^-?\d+$/.test(v) ? 'non-uuid-path-id' : v.length > 100 ? 'long-path-param' : 'odd-path-param';
      out.push({ cls, field: `${p.name}=${v.slice(0, 20)}`, pathValues: { ...defaultPathValues(op), [p.name]: v }, body: wellFormedBody(op) });
    }
  }
  return out;
}

const QUERY_VALUES = ['%00', 'a%00b', '%ED%A0%80', '-1', '1e309', '99999999999999999999999', '%F0%9F%98%80', 'x'.repeat(3000), '%', '2027-W01', ''];

function queryClasses(op: Operation): Variant[] {
  const declared = queryParams(op);
  const base = declared.filter((p) => p.required).map((p) => `${p.name}=${encodeURIComponent(paramValue(p))}`);
  const out: Variant[] = [];
  for (const name of [...declared.map((p) => p.name), 'e2eUnknown']) {
    const others = base.filter((q) => !q.startsWith(`${name}=`));
    const q = (...parts: string[]): string => [...others, ...parts].join('&');
    for (const v of QUERY_VALUES) {
      const cls = v.includes('%00') ? 'nul-in-query' : v.includes('%ED%A0%80') ? 'surrogate-in-query' : /\d/.test(v) && v.length < 30 ? (v.startsWith('-') ? 'negative-number' : v.includes('W') ? 'non-instant-date' : 'huge-number') : v.length > 100 ? 'long-query-param' : 'odd-query-param';
      out.push({ cls, field: `${name}=${v.slice(0, 20)}`, query: q(`${name}=${v}`), body: wellFormedBody(op) });
    }
    out.push({ cls: 'array-in-query', field: name, query: q(`${name}=a`, `${name}=b`), body: wellFormedBody(op) });
    out.push({ cls: 'object-in-query', field: name, query: q(`${name}[a]=b`, `${name}[__proto__][x]=1`), body: wellFormedBody(op) });
  }
  return out;
}

function probesOf(op: Operation): Probe[] {
  const single = (v: Variant): Probe => ({ op, cls: v.cls, field: v.field, mode: 'sequence', variants: [v] });
  const probes: Probe[] = [];
  const takesBody = op.body !== undefined || ['POST', 'PUT', 'PATCH', 'DELETE'].includes(op.method);
  if (takesBody) probes.push(...bodyClasses(op).map(single));
  if (op.body) probes.push(...fieldClasses(op).map(single));
  probes.push(...pathClasses(op).map(single), ...queryClasses(op).map(single));
  const idem = idempotencyHeader(op);
  if (idem) {
    probes.push(single({ cls: 'idempotency-key-absent', body: jsonText(freshBody(op)), idempotencyKey: false }));
    for (const [what, key] of [['long', 'k'.repeat(300)], ['8 KB', 'k'.repeat(8000)], ['not a uuid', 'abc'], ['odd characters', "'; -- %00 \\"]] as const) {
      probes.push(single({ cls: 'idempotency-key-malformed', field: what, body: jsonText(freshBody(op)), headers: { [idem]: key } }));
    }
    const key = randomUUID();
    const reused = freshBody(op);
    probes.push({
      op,
      cls: 'idempotency-key-reused',
      field: 'same key, different body',
      mode: 'sequence',
      variants: [
        { cls: 'idempotency-key-reused', body: jsonText(reused), headers: { [idem]: key } },
        { cls: 'idempotency-key-reused', body: jsonText(otherBody(reused)), headers: { [idem]: key } },
      ],
      check: ([a, b]) => {
        if (!a || !b || a.status >= 300 || b.status >= 300) return undefined;
        return canonical(a) === canonical(b)
          ? `a different body under a used key was answered ${b.status} with the first request's result, neither done nor refused (expected 409/422): ${b.text.slice(0, 160)}`
          : `the same key did two different things: ${a.status} ${a.text.slice(0, 120)} then ${b.status} ${b.text.slice(0, 120)}`;
      },
    });
    const dupKey = randomUUID();
    const dupBody = jsonText(freshBody(op));
    probes.push({
      op,
      cls: 'concurrent-duplicates',
      field: 'same key and body × 5',
      mode: 'concurrent',
      variants: Array.from({ length: 5 }, () => ({ cls: 'concurrent-duplicates', body: dupBody, headers: { [idem]: dupKey } })),
      check: (answers) => {
        const ok = [...new Set(answers.filter((a) => a.status < 300).map(canonical))];
        return ok.length > 1 ? `five concurrent duplicates made ${ok.length} different results: ${ok.map((t) => t.slice(0, 120)).join(' | ')}` : undefined;
      },
    });
  } else if (op.body) {
    const dupBody = jsonText(freshBody(op));
    probes.push({ op, cls: 'concurrent-duplicates', field: 'same body × 5', mode: 'concurrent', variants: Array.from({ length: 5 }, () => ({ cls: 'concurrent-duplicates', body: dupBody })) });
  }
  const conflicting = conflictingVariants(op, unique());
  if (conflicting) probes.push({ op, cls: 'concurrent-conflict', field: 'same identifier, different content × 5', mode: 'concurrent', variants: conflicting.map((b) => ({ cls: 'concurrent-conflict', body: jsonText(b) })) });
  return probes;
}

/** An answer's JSON with its keys sorted (a stored replay may come back with its keys in another order). */
function canonical(res: RawResponse): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, w]) => [k, sort(w)])) : v;
  return JSON.stringify(sort(parsed(res)));
}

interface Answer {
  op: Operation;
  cls: string;
  field?: string;
  requestId: string;
  method: string;
  url: string;
  res: RawResponse;
}

describe("the bad-input suite, driven by every service's OpenAPI document", () => {
  const client = new RawClient({ concurrency: CONCURRENCY, localAddress: SOURCE_ADDRESS, timeoutMs: 30_000 });
  afterAll(() => client.close());

  it('answers every malformed request to every operation below 500 without a reset, and leaves every service ready and the audit chain intact', async () => {
    // given every operation of every service, each with a caller allowed to call it
    const operations = await loadOperations();
    const callers = new Map<Operation, ResolvedCaller>();
    for (const user of new Set(Object.values(DEMO))) await tokenOf(user);
    for (const op of operations) callers.set(op, await resolveCaller(op, client));
    const probes = operations.flatMap(probesOf);
    const planned = probes.reduce((n, p) => n + p.variants.length, 0);
    expect(planned).toBeLessThanOrEqual(MAX_REQUESTS);

    // when each malformed request is sent (concurrent duplicates last, each group on its own)
    const answers: Answer[] = [];
    const broken: string[] = [];
    const deadline = Date.now() + TIME_LIMIT_MS;
    let timedOut = 0;
    const started = Date.now();
    const send = async (probe: Probe, v: Variant): Promise<RawResponse> => {
      const { op } = probe;
      const caller = callers.get(op) as ResolvedCaller;
      const headers: Record<string, string> = { 'x-request-id': requestId() };
      if (caller.as !== 'public') headers['authorization'] = `Bearer ${await tokenOf(caller.as)}`;
      if (v.body !== undefined) headers['content-type'] = v.contentType ?? 'application/json';
      const idem = idempotencyHeader(op);
      if (idem && v.idempotencyKey !== false) headers[idem] = randomUUID();
      Object.assign(headers, v.headers ?? {});
      const req: RawRequest = { method: op.method, url: urlOf(op, v.pathValues ?? defaultPathValues(op), v.query), headers, body: v.body };
      const res = await client.send(req);
      answers.push({ op, cls: v.cls, field: v.field, requestId: headers['x-request-id'], method: req.method, url: req.url, res });
      return res;
    };
    const runProbe = async (probe: Probe): Promise<void> => {
      if (Date.now() > deadline) {
        timedOut += probe.variants.length;
        return;
      }
      const results: RawResponse[] = [];
      if (probe.mode === 'concurrent') results.push(...(await Promise.all(probe.variants.map((v) => send(probe, v)))));
      else for (const v of probe.variants) results.push(await send(probe, v));
      const wrong = probe.check?.(results);
      if (wrong) broken.push(`${probe.op.id} [${probe.cls}${probe.field ? `: ${probe.field}` : ''}] ${wrong}`);
    };
    const sequential = probes.filter((p) => p.mode === 'sequence');
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < sequential.length) await runProbe(sequential[next++]);
      }),
    );
    for (const probe of probes.filter((p) => p.mode === 'concurrent')) await runProbe(probe);
    const elapsedS = ((Date.now() - started) / 1000).toFixed(0);

    // then: nothing at or above 500, no reset, services ready, the audit chain intact
    const ready: Record<string, number> = {};
    for (const name of SERVICE_NAMES) ready[name] = (await http('GET', `${SERVICES[name]}/health/ready`)).status;
    const verify = await http<{ ok?: boolean; intact?: boolean }>('GET', `${STACK.identity}/audit/verify`, undefined, { authorization: `Bearer ${await tokenOf(DEMO.supervisor)}` });

    const failed = answers.filter((a) => a.res.status >= 500);
    const noAnswer = answers.filter((a) => a.res.failure !== undefined);
    const perService = Object.fromEntries(SERVICE_NAMES.map((s) => [s, { requests: answers.filter((a) => a.op.service === s).length, atOrAbove500: failed.filter((a) => a.op.service === s).length }]));
    console.log(
      [
        `bad-input suite: ${operations.length} operations, ${answers.length} requests in ${elapsedS} s (${planned} planned, ${timedOut} not sent within the time limit)`,
        ...SERVICE_NAMES.map((s) => `  ${s.padEnd(12)} ${String(perService[s]?.requests).padStart(5)} requests, ${perService[s]?.atOrAbove500} at or above 500`),
        `  no answer (reset/timeout): ${noAnswer.length}; contract breaks: ${broken.length}; sent again after a stale kept-alive connection: ${answers.filter((a) => a.res.retriedStale).length}`,
        `  callers: ${[...callers.entries()].filter(([, c]) => c.how !== 'table').map(([op, c]) => `${op.id} → ${c.as} (${c.how})`).join('; ') || 'all from the table'}`,
        `  afterwards: ready ${JSON.stringify(ready)}; GET /audit/verify ${verify.status} ${JSON.stringify(verify.body)}`,
      ].join('\n'),
    );
    if (failed.length + noAnswer.length + broken.length > 0) console.log(rootCauses(failed, noAnswer, broken));
    console.log(acceptedMalformed(answers));

    expect({
      atOrAbove500: failed.length,
      noAnswer: noAnswer.length,
      notSent: timedOut,
      contractBreaks: broken,
      reservedKeysAccepted: reservedKeysAccepted(answers),
      ready,
      auditChain: { status: verify.status, intact: verify.body.ok ?? verify.body.intact },
    }).toEqual({
      atOrAbove500: 0,
      noAnswer: 0,
      notSent: 0,
      contractBreaks: [],
      reservedKeysAccepted: [],
      ready: Object.fromEntries(SERVICE_NAMES.map((s) => [s, 200])),
      auditChain: { status: 200, intact: true },
    });
  }, TIME_LIMIT_MS + 120_000);
});

/** Body classes that are malformed whatever the operation: a 2xx to one of them is worth a look (printed, not asserted). */
const MUST_REFUSE_BODY = new Set(['nul-in-string', 'surrogate-in-string', 'nul-in-key', 'surrogate-in-key', 'non-uuid-id', 'non-instant-date', 'wrong-type', 'null-for-object', 'unknown-field', 'proto-key', 'constructor-key', 'long-string-100k', 'idempotency-key-absent']);

/**
 * Operations that answered 2xx to a body with a `__proto__` or `constructor` key. The request edge refuses such keys
 * for every service (the layers after it would drop them silently), so this is asserted, not only printed.
 */
function reservedKeysAccepted(answers: Answer[]): string[] {
  const ops = new Set<string>();
  for (const a of answers) {
    if ((a.cls === 'proto-key' || a.cls === 'constructor-key') && a.op.body !== undefined && a.res.status >= 200 && a.res.status < 300) ops.add(`${a.cls}: ${a.op.service} ${a.op.method} ${a.op.path}`);
  }
  return [...ops].sort();
}

function acceptedMalformed(answers: Answer[]): string {
  const byClass = new Map<string, Set<string>>();
  for (const a of answers) {
    if (a.res.status < 200 || a.res.status >= 300 || !MUST_REFUSE_BODY.has(a.cls) || a.op.body === undefined || a.field?.includes('=')) continue;
    const set = byClass.get(a.cls) ?? new Set<string>();
    set.add(`${a.op.service} ${a.op.method} ${a.op.path}${a.field ? ` (${a.field.slice(0, 30)})` : ''}`);
    byClass.set(a.cls, set);
  }
  if (byClass.size === 0) return 'no malformed body was accepted';
  return ['malformed bodies answered 2xx (not asserted; each may deserve a 400):', ...[...byClass.entries()].map(([cls, ops]) => `  ${cls}: ${[...ops].join('; ')}`)].join('\n');
}

/** The failures grouped by root cause (the service's logged error when the log is at hand, else the answer), one example each. */
function rootCauses(failed: Answer[], noAnswer: Answer[], broken: string[]): string {
  const logs = new Map<ServiceName, Map<string, string>>(SERVICE_NAMES.map((s) => [s, loggedErrors(s)]));
  const groups = new Map<string, { count: number; ops: Set<string>; classes: Set<string>; example: Answer; cause: string }>();
  for (const a of [...failed, ...noAnswer]) {
    const logged = logs.get(a.op.service)?.get(a.requestId);
    const body = parsed(a.res) as { error?: string; message?: string } | string | undefined;
    const answered = a.res.failure ? `no answer: ${a.res.failure}` : typeof body === 'object' && body ? `${body.error ?? ''} ${body.message ?? ''}` : String(body ?? '');
    const cause = logged ?? answered;
    const key = `${a.op.service} ${a.res.failure ?? a.res.status} ${normalise(cause)}`;
    const g = groups.get(key) ?? { count: 0, ops: new Set<string>(), classes: new Set<string>(), example: a, cause };
    g.count += 1;
    g.ops.add(`${a.op.method} ${a.op.path}`);
    g.classes.add(a.cls);
    groups.set(key, g);
  }
  const lines = [`${groups.size} distinct root causes${stackLogDir() ? '' : ' (no stack log directory found: set STACK_LOG_DIR to name causes from the logs)'}:`];
  for (const g of [...groups.values()].sort((x, y) => y.count - x.count)) {
    const e = g.example;
    lines.push(
      `- [${e.op.service}] ${e.res.failure ?? e.res.status} × ${g.count}: ${g.cause.slice(0, 300)}`,
      `    classes: ${[...g.classes].join(', ')}`,
      `    operations: ${[...g.ops].join(', ')}`,
      `    example: ${e.method} ${e.url.slice(0, 160)} [${e.cls}${e.field ? `: ${e.field.slice(0, 60)}` : ''}] x-request-id ${e.requestId} → ${e.res.status} ${e.res.text.slice(0, 200)}`,
    );
  }
  for (const b of broken) lines.push(`- contract: ${b}`);
  return lines.join('\n');
}
