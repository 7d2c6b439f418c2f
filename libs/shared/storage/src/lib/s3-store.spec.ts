import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ObjectNotFoundError } from './object-store';
import { S3Store } from './s3-store';
import { signV4 } from './sigv4';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
}

// No S3-compatible server runs here: the store is checked against a recording fetch, and its signatures are
// recomputed independently from what went on the wire.
describe('S3Store', () => {
  let dir: string;
  const seen: Seen[] = [];
  const objects = new Map<string, Buffer>();
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  const fakeFetch = (async (input: URL | string, init?: RequestInit) => {
    const url = String(input);
    const headers = init?.headers as Record<string, string>;
    let body: Buffer | undefined;
    if (init?.body) {
      const chunks: Buffer[] = [];
      for await (const c of Readable.fromWeb(init.body as import('node:stream/web').ReadableStream)) chunks.push(Buffer.from(c as Uint8Array));
      body = Buffer.concat(chunks);
    }
    seen.push({ url, method: init?.method ?? 'GET', headers, body });
    const key = new URL(url).pathname;
    switch (init?.method) {
      case 'PUT':
        objects.set(key, body ?? Buffer.alloc(0));
        return new Response(null, { status: 200 });
      case 'HEAD':
        return objects.has(key)
          ? new Response(null, { status: 200, headers: { 'content-length': String(objects.get(key)?.length) } })
          : new Response(null, { status: 404 });
      case 'DELETE':
        objects.delete(key);
        return new Response(null, { status: 204 });
      case 'GET':
      case undefined:
      default:
        return objects.has(key) ? new Response(objects.get(key)) : new Response('<Error/>', { status: 404 });
    }
  }) as typeof fetch;
  const store = () =>
    new S3Store({
      endpoint: 'http://127.0.0.1:9000',
      bucket: 'gov-materials',
      region: 'cn-north-1',
      credentials,
      prefix: 'intake/',
      stagingDir: dir,
      fetch: fakeFetch,
      now: () => new Date('2026-12-02T06:00:00Z'),
    });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 's3-'));
    seen.length = 0;
    objects.clear();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('puts an object under its hash with a SigV4 signature over its SHA-256, then reads it back', async () => {
    // given
    const bytes = Buffer.from('%PDF-1.4 material');
    const hash = createHash('sha256').update(bytes).digest('hex');
    // when
    const stored = await (await store().stage(Readable.from([bytes]), { maxBytes: 1000 })).commit();
    // then
    expect(stored).toEqual({ key: hash, sha256: hash, size: bytes.length });
    const put = seen.find((s) => s.method === 'PUT');
    expect(put?.url).toBe(`http://127.0.0.1:9000/gov-materials/intake/${hash}`);
    expect(put?.body).toEqual(bytes);
    expect(put?.headers['x-amz-content-sha256']).toBe(hash);
    const { authorization, ...signedHeaders } = put?.headers ?? {};
    const again = signV4(
      { method: 'PUT', url: new URL(put?.url ?? ''), headers: signedHeaders, payloadHash: hash },
      { region: 'cn-north-1', service: 's3', amzDate: '20261202T060000Z' },
      credentials,
    );
    expect(authorization).toBe(again.authorization);
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261202\/cn-north-1\/s3\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    const chunks: Buffer[] = [];
    for await (const c of await store().get(hash)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(bytes);
  });

  it('does not upload content it already holds, and reports a missing object', async () => {
    const s = store();
    await (await s.stage(Readable.from([Buffer.from('x')]), { maxBytes: 10 })).commit();
    await (await s.stage(Readable.from([Buffer.from('x')]), { maxBytes: 10 })).commit();
    expect(seen.filter((r) => r.method === 'PUT')).toHaveLength(1);
    await expect(s.get('0'.repeat(64))).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('deletes only when unreferenced', async () => {
    const s = store();
    const { key } = await (await s.stage(Readable.from([Buffer.from('y')]), { maxBytes: 10 })).commit();
    expect(await s.deleteUnreferenced(key, async () => true)).toBe(false);
    expect(await s.deleteUnreferenced(key, async () => false)).toBe(true);
    expect(await s.head(key)).toBeNull();
  });
});
