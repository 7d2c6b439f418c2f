import { createReadStream } from 'node:fs';
import { link, mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
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

/**
 * The default store: files under one root, named by their SHA-256 (`<root>/objects/ab/cd/abcd…`). An upload is
 * staged in `<root>/staging` and moved into place with rename, so a reader never sees a partial object; the same
 * content uploaded twice is stored once. No name a user chose ever reaches the filesystem: paths come from the hash.
 */
export class LocalDiskStore implements ObjectStore {
  readonly kind = 'local' as const;
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  pathOf(key: string): string {
    assertObjectKey(key);
    return join(this.root, 'objects', key.slice(0, 2), key.slice(2, 4), key);
  }

  async stage(source: Readable, limits: StageLimits): Promise<StagedObject> {
    const staged = await stageToFile(source, join(this.root, 'staging'), limits);
    let done = false;
    const discard = async () => {
      await rm(staged.path, { force: true });
    };
    return {
      ...staged,
      commit: async (): Promise<StoredObject> => {
        const target = this.pathOf(staged.sha256);
        if (!done) {
          await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
          if (await exists(target)) await discard();
          else await rename(staged.path, target);
          done = true;
        }
        return { key: staged.sha256, sha256: staged.sha256, size: staged.size };
      },
      discard,
    };
  }

  sweepStaging(olderThanMs: number): Promise<number> {
    return sweepStagingDir(join(this.root, 'staging'), olderThanMs);
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    if (!(await exists(path))) throw new ObjectNotFoundError(key);
    return createReadStream(path);
  }

  async head(key: string): Promise<{ size: number } | null> {
    try {
      return { size: (await stat(this.pathOf(key))).size };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async deleteUnreferenced(key: string, isReferenced: (key: string) => Promise<boolean>): Promise<boolean> {
    const path = this.pathOf(key);
    if (await isReferenced(key)) return false;
    // Moved aside first, then checked again: a commit of the same content in between re-creates the file.
    const aside = `${path}.deleting`;
    try {
      await rename(path, aside);
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
    if (await isReferenced(key)) {
      await link(aside, path).catch(() => undefined);
      await unlink(aside);
      return false;
    }
    await unlink(aside);
    return true;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT';
}
