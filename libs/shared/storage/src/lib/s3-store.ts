import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  type ObjectStore,
  ObjectNotFoundError,
  type StageLimits,
  type StagedObject,
  type StoredObject,
  assertObjectKey,
  stageToFile,
  sweepStagingDir,
} from './object-store';
import { EMPTY_SHA256, type SigV4Credentials, amzDateOf, signV4 } from './sigv4';

export interface S3StoreOptions {
  /** e.g. https://s3.cn-north-1.amazonaws.com.cn or http://127.0.0.1:9000 (MinIO); path-style addressing. */
  endpoint: string;
  bucket: string;
  region: string;
  credentials: SigV4Credentials;
  /** Key prefix inside the bucket (e.g. `materials/`). */
  prefix?: string;
  /** Where uploads are staged for inspection before they are sent (default: the OS temp dir). */
  stagingDir?: string;
  /** Injected for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  now?: () => Date;
}

export class S3StoreError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'S3StoreError';
  }
}

/**
 * An S3-compatible store behind the same interface: plain HTTPS with SigV4 (no SDK). Objects are put with their
 * SHA-256 as the signed payload hash, so the store itself rejects a body altered in transit.
 */
export class S3Store implements ObjectStore {
  readonly kind = 's3' as const;
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;
  private readonly stagingDir: string;

  constructor(private readonly options: S3StoreOptions) {
    this.fetch = options.fetch ?? fetch;
    this.now = options.now ?? (() => new Date());
    this.stagingDir = options.stagingDir ?? join(tmpdir(), 'gov-s3-staging');
  }

  urlOf(key: string): URL {
    assertObjectKey(key);
    const base = this.options.endpoint.replace(/\/+$/, '');
    return new URL(`${base}/${encodeURIComponent(this.options.bucket)}/${this.options.prefix ?? ''}${key}`);
  }

  /** The signed request for one operation; exposed so tests can check what goes on the wire. */
  signedRequest(
    method: 'PUT' | 'GET' | 'HEAD' | 'DELETE',
    key: string,
    payloadHash = EMPTY_SHA256,
    extra: Record<string, string> = {},
  ): { url: URL; headers: Record<string, string> } {
    const url = this.urlOf(key);
    const amzDate = amzDateOf(this.now());
    const headers: Record<string, string> = { ...extra, host: url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
    if (this.options.credentials.sessionToken) headers['x-amz-security-token'] = this.options.credentials.sessionToken;
    const { authorization } = signV4({ method, url, headers, payloadHash }, { region: this.options.region, service: 's3', amzDate }, this.options.credentials);
    const { host: _host, ...rest } = headers;
    return { url, headers: { ...rest, authorization } };
  }

  async stage(source: Readable, limits: StageLimits): Promise<StagedObject> {
    const staged = await stageToFile(source, this.stagingDir, limits);
    const discard = async () => {
      await rm(staged.path, { force: true });
    };
    return {
      ...staged,
      commit: async (): Promise<StoredObject> => {
        const existing = await this.head(staged.sha256);
        if (!existing) {
          const { url, headers } = this.signedRequest('PUT', staged.sha256, staged.sha256, {
            'content-length': String(staged.size),
            'content-type': 'application/octet-stream',
          });
          const body = Readable.toWeb(createReadStream(staged.path)) as unknown as ReadableStream<Uint8Array>;
          const init: RequestInit & { duplex: 'half' } = { method: 'PUT', headers, body, duplex: 'half' };
          const res = await this.fetch(url, init);
          if (!res.ok) throw new S3StoreError(res.status, `S3 PUT ${staged.sha256} answered ${res.status}`);
        }
        await discard();
        return { key: staged.sha256, sha256: staged.sha256, size: staged.size };
      },
      discard,
    };
  }

  sweepStaging(olderThanMs: number): Promise<number> {
    return sweepStagingDir(this.stagingDir, olderThanMs);
  }

  async get(key: string): Promise<Readable> {
    const { url, headers } = this.signedRequest('GET', key);
    const res = await this.fetch(url, { method: 'GET', headers });
    if (res.status === 404) throw new ObjectNotFoundError(key);
    if (!res.ok || !res.body) throw new S3StoreError(res.status, `S3 GET ${key} answered ${res.status}`);
    return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  }

  async head(key: string): Promise<{ size: number } | null> {
    const { url, headers } = this.signedRequest('HEAD', key);
    const res = await this.fetch(url, { method: 'HEAD', headers });
    if (res.status === 404) return null;
    if (!res.ok) throw new S3StoreError(res.status, `S3 HEAD ${key} answered ${res.status}`);
    return { size: Number(res.headers.get('content-length') ?? 0) };
  }

  async deleteUnreferenced(key: string, isReferenced: (key: string) => Promise<boolean>): Promise<boolean> {
    if (await isReferenced(key)) return false;
    const { url, headers } = this.signedRequest('DELETE', key);
    const res = await this.fetch(url, { method: 'DELETE', headers });
    if (res.status === 404) return false;
    if (!res.ok) throw new S3StoreError(res.status, `S3 DELETE ${key} answered ${res.status}`);
    return true;
  }
}
