import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Server } from 'node:net';
import { Body, Controller, type DynamicModule, Get, HttpCode, Inject, Module, Param, Post, Query } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Client } from 'pg';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { createServiceApp } from '../bootstrap';
import { baseConfigShape, loadConfig } from '../config/config';
import { IdempotencyKeys1763800000050, IdempotencyKeysCreatedAt1763800000051, runIdempotent } from '../database/idempotency';
import { IdempotencyPruner } from '../database/idempotency-pruner';
import { ServiceKitModule } from '../kit.module';
import { AcceptsBody } from './edge.guard';
import { KitErrors } from './error-codes';
import { IsInstant, ParseCaseNumberParam, ParseCodeParam, ParseUuidParam } from './params';
import { Public } from './public.decorator';
import { z } from 'zod';

// The request edge over real HTTP: a tiny service built by createServiceApp, every hostile class of input sent to it.

const PG = { host: process.env['PGHOST'] ?? '127.0.0.1', port: Number(process.env['PGPORT'] ?? 5432) };
const SUPERUSER = process.env['PG_SUPERUSER'] ?? 'postgres';
const DB = Symbol('DB');

class Address {
  @IsString() city!: string;
}

class Applicant {
  @IsString() @MaxLength(100) name!: string;
  @IsOptional() @ValidateNested() @Type(() => Address) address?: Address;
}

class SubmitDto {
  @IsDefined() @ValidateNested() @Type(() => Applicant) applicant!: Applicant;
  @IsOptional() @IsObject() form?: Record<string, unknown>;
  @IsInstant() validFrom!: string;
}

class ListQuery {
  @IsOptional() @IsString() caseNumber?: string;
}

class DocumentDto {
  @IsString() code!: string;
}

@Public()
@Controller('things')
class ThingsController {
  constructor(@Inject(DB) private readonly ds: DataSource) {}

  @Post()
  @HttpCode(201)
  submit(@Body() dto: SubmitDto) {
    return { name: dto.applicant.name, keys: Object.keys(dto.form ?? {}) };
  }

  @Get()
  list(@Query() q: ListQuery) {
    return { caseNumber: q.caseNumber ?? null };
  }

  @Get('raw/:name')
  raw(@Param('name') name: string) {
    return { name };
  }

  @Get('cases/:caseNumber')
  caseView(@Param('caseNumber', ParseCaseNumberParam) caseNumber: string) {
    return { caseNumber };
  }

  @Get('orgs/:code')
  org(@Param('code', ParseCodeParam.of('creditCode')) code: string) {
    return { code };
  }

  @Get('lookup/:id')
  async lookup(@Param('id') id: string) {
    // no pipe on purpose: the database refuses the value and the filter's safety net answers 400
    await this.ds.query('SELECT $1::uuid AS id', [id]);
    return { id };
  }

  @Get(':id')
  get(@Param('id', ParseUuidParam) id: string) {
    return { id };
  }

  @Post('documents')
  @HttpCode(201)
  async document(@Body() dto: DocumentDto) {
    await this.ds.query('INSERT INTO documents (document_code) VALUES ($1)', [dto.code]);
    return { code: dto.code };
  }

  @Post('upload')
  @AcceptsBody('text/plain')
  @HttpCode(204)
  upload(): void {
    // a route that opted into another media type reads the body itself
  }
}

const testShape = z.object({ ...baseConfigShape });

function edgeModule(ds: DataSource): DynamicModule {
  @Module({})
  class EdgeTestModule {}
  return {
    module: EdgeTestModule,
    imports: [ServiceKitModule.forRoot({ service: 'edge-test', logger: pino({ level: 'silent' }) })],
    controllers: [ThingsController],
    providers: [{ provide: DB, useValue: ds }, { provide: DataSource, useValue: ds }],
  };
}

async function start(ds: DataSource, env: Record<string, string>): Promise<{ app: INestApplication; url: string }> {
  const config = loadConfig('edge-test', testShape, [], env).values;
  const app = await createServiceApp({ service: 'edge-test', description: 'edge test', module: edgeModule(ds), port: 0, logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }), config });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

async function superQuery(database: string, sql: string): Promise<void> {
  const c = new Client({ ...PG, user: SUPERUSER, database });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

interface Answer {
  status: number;
  headers: Headers;
  body: { error?: string; message?: string; details?: Record<string, unknown>; [k: string]: unknown };
}

async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: Answer['body'] = {};
  try {
    body = text ? (JSON.parse(text) as Answer['body']) : {};
  } catch {
    body = { text };
  }
  return { status: res.status, headers: res.headers, body };
}

function postJson(url: string, text: string | Uint8Array, headers: Record<string, string> = {}): Promise<Answer> {
  return send(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text });
}

const valid = { applicant: { name: '张三', address: { city: '福州' } }, form: { 项目: '建设' }, validFrom: '2027-01-01T08:00:00+08:00' };

describe('the request edge, over HTTP', () => {
  const database = `edge_test_${randomBytes(4).toString('hex')}`;
  let ds: DataSource;
  let local: { app: INestApplication; url: string };
  let url: string;

  beforeAll(async () => {
    await superQuery('postgres', `CREATE DATABASE ${database}`);
    ds = new DataSource({ type: 'postgres', host: PG.host, port: PG.port, username: SUPERUSER, database, migrations: [IdempotencyKeys1763800000050, IdempotencyKeysCreatedAt1763800000051] });
    await ds.initialize();
    await ds.runMigrations();
    await ds.query('CREATE TABLE documents (document_code text PRIMARY KEY)');
    local = await start(ds, { NODE_ENV: 'test' });
    url = local.url;
  });

  afterAll(async () => {
    await local?.app.close();
    await ds?.destroy();
    await superQuery('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('accepts a well-formed request', async () => {
    const res = await postJson(`${url}/things`, JSON.stringify(valid));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: '张三', keys: ['项目'] });
  });

  it('refuses a 40,000-deep array under 100 KB with 400 naming the limit, not a stack overflow', async () => {
    // given
    const deep = `{"applicant":${'['.repeat(40_000)}${']'.repeat(40_000)}}`;
    expect(deep.length).toBeLessThan(100_000);
    // when
    const res = await postJson(`${url}/things`, deep);
    // then
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(KitErrors.code.NestingTooDeep);
    expect(res.body.message).toContain('32');
    expect((await send(`${url}/health/live`)).status).toBe(200);
  });

  it('refuses a gzip Content-Encoding on a body that is not gzip with 415, and any compressed body', async () => {
    for (const encoding of ['gzip', 'deflate', 'br', 'x-unknown']) {
      const res = await postJson(`${url}/things`, JSON.stringify(valid), { 'content-encoding': encoding });
      expect(res.status).toBe(415);
      expect(res.body.error).toBe(KitErrors.code.UnsupportedEncoding);
    }
    expect((await postJson(`${url}/things`, JSON.stringify(valid), { 'content-encoding': 'identity' })).status).toBe(201);
  });

  it('refuses NUL and lone surrogates in body strings and keys with 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...valid, applicant: { name: 'a\u0000b' } }, 'applicant.name'],
      [{ ...valid, applicant: { name: '张\ud800' } }, 'applicant.name'],
      [{ ...valid, applicant: { name: 'x', address: { city: '\udc00' } } }, 'applicant.address.city'],
      [{ ...valid, form: { 'k\u0000': 'v' } }, 'form.k\\u0000'],
      [{ ...valid, form: { ok: ['fine', 'bad\u0000'] } }, 'form.ok[1]'],
    ];
    for (const [body, field] of cases) {
      // when (JSON.stringify keeps \u0000 and lone surrogates as escapes, as an attacker would send them)
      const res = await postJson(`${url}/things`, JSON.stringify(body));
      // then
      expect(res.status).toBe(400);
      expect(res.body.error).toBe(KitErrors.code.InvalidText);
      expect(res.body.details?.['field']).toBe(field);
    }
  });

  it('refuses NUL and lone surrogates in path parameters and query values with 400 naming the parameter', async () => {
    const nulParam = await send(`${url}/things/raw/%00`);
    expect(nulParam.status).toBe(400);
    expect(nulParam.body.details?.['field']).toBe('param.name');
    const nulQuery = await send(`${url}/things?caseNumber=%00`);
    expect(nulQuery.status).toBe(400);
    expect(nulQuery.body.error).toBe(KitErrors.code.InvalidText);
    expect(nulQuery.body.details?.['field']).toBe('query.caseNumber');
    // an encoded lone surrogate is not UTF-8: the URL is refused as such
    const surrogate = await send(`${url}/things/raw/%ED%A0%80`);
    expect(surrogate.status).toBe(400);
    expect((await send(`${url}/things/raw/%FF`)).status).toBe(400);
  });

  it('types path parameters with the kit pipes: UUID, case number, credit code', async () => {
    const notUuid = await send(`${url}/things/0`);
    expect(notUuid.status).toBe(400);
    expect(notUuid.body.error).toBe(KitErrors.code.InvalidParameter);
    expect(notUuid.body.details?.['field']).toBe('param.id');
    expect((await send(`${url}/things/%00`)).status).toBe(400);
    expect((await send(`${url}/things/3F2B8C1E-8D4A-4C3B-9E1F-2A6B7C8D9E0F`)).body).toEqual({ id: '3f2b8c1e-8d4a-4c3b-9e1f-2a6b7c8d9e0f' });
    expect((await send(`${url}/things/cases/441200-20261122-000001`)).status).toBe(200);
    const badCase = await send(`${url}/things/cases/441200-2026-1`);
    expect(badCase.status).toBe(400);
    expect(badCase.body.details?.['field']).toBe('param.caseNumber');
    expect((await send(`${url}/things/orgs/91350100M000100Y43`)).status).toBe(200);
    expect((await send(`${url}/things/orgs/91350100M000100Y44`)).status).toBe(400);
  });

  it('refuses an oversize body with 413', async () => {
    const big = JSON.stringify({ ...valid, form: { blob: 'x'.repeat(1_100_000) } });
    const res = await postJson(`${url}/things`, big);
    expect(res.status).toBe(413);
    expect(res.body.error).toBe(KitErrors.code.BodyTooLarge);
  });

  it('refuses invalid JSON, non-UTF-8 bytes and a scalar top level with 400 MalformedBody', async () => {
    for (const text of ['{"applicant": ', '"just a string"', '{"a":1}}']) {
      const res = await postJson(`${url}/things`, text);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe(KitErrors.code.MalformedBody);
    }
    const latin1 = await postJson(`${url}/things`, Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    expect(latin1.status).toBe(400);
    expect(latin1.body.error).toBe(KitErrors.code.MalformedBody);
  });

  it('refuses a body of the wrong content type with 415 saying to send application/json, unless the route opted in', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await send(`${url}/things`, { method: 'POST', headers: { 'content-type': type }, body: 'a=1' });
      expect(res.status).toBe(415);
      expect(res.body.error).toBe(KitErrors.code.UnsupportedMediaType);
      expect(res.body.message).toContain('application/json');
    }
    const opted = await send(`${url}/things/upload`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'plain text' });
    expect(opted.status).toBe(204);
  });

  it('refuses dates that are not RFC 3339 instants, listing each failing field', async () => {
    for (const validFrom of ['2027-W01', '20270101', '2027-01-01', '2027-01-01T08:00:00', '2027-02-30T00:00:00Z']) {
      const res = await postJson(`${url}/things`, JSON.stringify({ ...valid, validFrom }));
      expect(res.status).toBe(400);
      expect(res.body.error).toBe(KitErrors.code.ValidationFailed);
      expect(res.body.details?.['fields']).toEqual([expect.objectContaining({ field: 'validFrom', rule: 'isInstant' })]);
    }
  });

  it('lists every failing field of a missing or malformed nested object', async () => {
    const res = await postJson(`${url}/things`, JSON.stringify({ applicant: { name: 7, address: { city: 1 } }, extra: true, validFrom: 'x' }));
    expect(res.status).toBe(400);
    const fields = (res.body.details?.['fields'] as Array<{ field: string; rule: string }>).map((f) => `${f.field}:${f.rule}`).sort();
    expect(fields).toEqual(['applicant.address.city:isString', 'applicant.name:isString', 'applicant.name:maxLength', 'extra:whitelistValidation', 'validFrom:isInstant']);
    const missing = await postJson(`${url}/things`, JSON.stringify({ validFrom: valid.validFrom }));
    expect(missing.status).toBe(400);
    expect(missing.body.details?.['fields']).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'applicant', rule: 'isDefined' })]));
  });

  it('answers a unique violation with 409 naming the conflicting field', async () => {
    // given
    expect((await postJson(`${url}/things/documents`, JSON.stringify({ code: 'DOC-1' }))).status).toBe(201);
    // when
    const res = await postJson(`${url}/things/documents`, JSON.stringify({ code: 'DOC-1' }));
    // then
    expect(res.status).toBe(409);
    expect(res.body.error).toBe(KitErrors.code.Conflict);
    expect(res.body.details?.['fields']).toEqual(['document_code']);
    expect(res.body.message).toContain('document_code');
  });

  it('answers a value the database cannot take with 400, as a safety net behind the pipes', async () => {
    const res = await send(`${url}/things/lookup/not-a-uuid`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(KitErrors.code.InvalidValue);
    expect(res.body.message).toContain('uuid');
  });

  it('sends the security headers on every response and no X-Powered-By', async () => {
    for (const res of [await send(`${url}/health/live`), await send(`${url}/things/0`), await send(`${url}/nowhere`)]) {
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toContain('max-age=31536000');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
    const docs = await send(`${url}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('serves docs and metrics openly outside production', async () => {
    expect((await send(`${url}/docs-json`)).status).toBe(200);
    expect((await send(`${url}/metrics`)).status).toBe(200);
  });

  it('in production serves no docs, and metrics only with the token', async () => {
    // given
    const token = 'metrics-token-0123456789';
    const prod = await start(ds, { NODE_ENV: 'production', METRICS_TOKEN: token });
    const bare = await start(ds, { NODE_ENV: 'production' });
    try {
      // then
      expect((await send(`${prod.url}/docs-json`)).status).toBe(404);
      expect((await send(`${prod.url}/docs`)).status).toBe(404);
      const anonymous = await send(`${prod.url}/metrics`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
      expect((await send(`${prod.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      expect((await send(`${prod.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await send(`${bare.url}/metrics`)).status).toBe(404);
      expect((await send(`${bare.url}/health/live`)).status).toBe(200);
    } finally {
      await prod.app.close();
      await bare.app.close();
    }
  });

  it('treats an expired idempotency key as new, and the pruner deletes expired keys', async () => {
    // given a key used for one request, then aged past the TTL
    const first = await runIdempotent(ds, 'edge', 'key-00000001', { a: 1 }, async () => 'first');
    expect(first.replayed).toBe(false);
    expect((await runIdempotent(ds, 'edge', 'key-00000001', { a: 1 }, async () => 'again')).replayed).toBe(true);
    await ds.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'key-00000001'`);
    // when the same key comes with a different request
    const reused = await runIdempotent(ds, 'edge', 'key-00000001', { a: 2 }, async () => 'second');
    // then it is a new request
    expect(reused).toEqual({ result: 'second', replayed: false });
    // given three expired keys and one fresh
    for (const k of ['old-0000001', 'old-0000002', 'old-0000003', 'new-0000001']) await runIdempotent(ds, 'edge', k, {}, async () => k);
    await ds.query(`UPDATE idempotency_keys SET created_at = now() - interval '2 days' WHERE key LIKE 'old-%'`);
    // when
    const deleted = await local.app.get(IdempotencyPruner).pruneOnce();
    // then
    expect(deleted).toBe(3);
    const left = await ds.query<Array<{ key: string }>>(`SELECT key FROM idempotency_keys ORDER BY key`);
    expect(left.map((r) => r.key)).toEqual(['key-00000001', 'new-0000001']);
  });
});
