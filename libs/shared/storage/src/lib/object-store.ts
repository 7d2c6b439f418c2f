import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform, type TransformCallback } from 'node:stream';

/** An object as stored: content-addressed, so its key is its SHA-256 (lower-case hex). */
export interface StoredObject {
  key: string;
  sha256: string;
  size: number;
}

/**
 * An upload written to a private staging file, hashed and measured, not yet in the store. The caller inspects the
 * staged file (content type, archive structure) and then commits or discards it; nothing unchecked is ever stored.
 */
export interface StagedObject {
  readonly sha256: string;
  readonly size: number;
  /** The staging file (a server-chosen name; never derived from user input). Read it; do not move it. */
  readonly path: string;
  /** Moves the staged bytes into the store (atomically for the local store); idempotent for equal content. */
  commit(): Promise<StoredObject>;
  /** Removes the staging file. Safe to call after commit and more than once. */
  discard(): Promise<void>;
}

export interface StageLimits {
  /** Largest accepted object; more is refused with `ObjectTooLargeError` while streaming, before it is all read. */
  maxBytes: number;
}

/** Storage of immutable blobs by content hash (materials, notices). */
export interface ObjectStore {
  readonly kind: 'local' | 's3';
  stage(source: Readable, limits: StageLimits): Promise<StagedObject>;
  /** The object's bytes; `ObjectNotFoundError` when absent. */
  get(key: string): Promise<Readable>;
  head(key: string): Promise<{ size: number } | null>;
  /**
   * Deletes an object only when `isReferenced(key)` says no record points at it any more (content addressing means
   * two records may share one object). Returns whether it was deleted.
   */
  deleteUnreferenced(key: string, isReferenced: (key: string) => Promise<boolean>): Promise<boolean>;
  /** Removes staging files older than `olderThanMs` (left by a process that died mid-upload). Returns how many. */
  sweepStaging(olderThanMs: number): Promise<number>;
}

export class ObjectTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the object is larger than ${maxBytes} bytes`);
    this.name = 'ObjectTooLargeError';
  }
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no object ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}

export class InvalidObjectKeyError extends Error {
  constructor() {
    super('an object key is a SHA-256 in lower-case hex');
    this.name = 'InvalidObjectKeyError';
  }
}

const KEY = /^[0-9a-f]{64}$/;

/** Every key reaching a filesystem path or URL passes here: 64 hex digits, nothing else. */
export function assertObjectKey(key: string): void {
  if (!KEY.test(key)) throw new InvalidObjectKeyError();
}

/** Hashes and counts what passes through, failing as soon as the limit is crossed. */
export class MeasuringStream extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      callback(new ObjectTooLargeError(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * Streams `source` into a new file under `dir` with a random name (mode 0600), hashing and measuring on the way.
 * On any failure the partial file is removed and the error rethrown (`ObjectTooLargeError` for the limit).
 */
export async function stageToFile(source: Readable, dir: string, limits: StageLimits): Promise<{ path: string; sha256: string; size: number }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${randomUUID()}.part`);
  const meter = new MeasuringStream(limits.maxBytes);
  try {
    await pipeline(source, meter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (e) {
    await rm(path, { force: true });
    throw e;
  }
  return { path, sha256: meter.digest(), size: meter.size };
}

/** Deletes `*.part` files in `dir` last modified more than `olderThanMs` ago. */
export async function sweepStagingDir(dir: string, olderThanMs: number, now = Date.now()): Promise<number> {
  let removed = 0;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.endsWith('.part')) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs > olderThanMs) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}
