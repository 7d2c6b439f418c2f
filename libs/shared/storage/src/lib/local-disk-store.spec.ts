import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LocalDiskStore } from './local-disk-store';
import { InvalidObjectKeyError, ObjectNotFoundError, ObjectTooLargeError } from './object-store';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('LocalDiskStore', () => {
  let root: string;
  let store: LocalDiskStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'store-'));
    store = new LocalDiskStore(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores by SHA-256 and reads back the same bytes', async () => {
    // given
    const bytes = Buffer.from('材料内容 material bytes');
    // when
    const staged = await store.stage(Readable.from([bytes]), { maxBytes: 1024 });
    const stored = await staged.commit();
    // then
    expect(stored).toEqual({ key: sha(bytes), sha256: sha(bytes), size: bytes.length });
    expect(store.pathOf(stored.key)).toBe(join(root, 'objects', stored.key.slice(0, 2), stored.key.slice(2, 4), stored.key));
    expect(await readAll(await store.get(stored.key))).toEqual(bytes);
    expect(await store.head(stored.key)).toEqual({ size: bytes.length });
    expect(await readdir(join(root, 'staging'))).toEqual([]);
  });

  it('stores equal content once', async () => {
    const a = await (await store.stage(Readable.from([Buffer.from('same')]), { maxBytes: 10 })).commit();
    const b = await (await store.stage(Readable.from([Buffer.from('sa'), Buffer.from('me')]), { maxBytes: 10 })).commit();
    expect(b).toEqual(a);
    expect(await readdir(join(root, 'staging'))).toEqual([]);
  });

  it('refuses a stream over the limit while reading it and leaves nothing behind', async () => {
    // given a source that would go on for 10 MB
    let produced = 0;
    const source = new Readable({
      read() {
        produced += 64 * 1024;
        this.push(produced > 10 * 1024 * 1024 ? null : Buffer.alloc(64 * 1024));
      },
    });
    // when / then
    await expect(store.stage(source, { maxBytes: 100_000 })).rejects.toBeInstanceOf(ObjectTooLargeError);
    expect(produced).toBeLessThan(1024 * 1024);
    expect(await readdir(join(root, 'staging'))).toEqual([]);
  });

  it('refuses keys that are not a hash, so no path can be smuggled in', async () => {
    await expect(store.get('../../etc/passwd')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    expect(() => store.pathOf(`${'a'.repeat(63)}/`)).toThrow(InvalidObjectKeyError);
    await expect(store.get('a'.repeat(64))).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('deletes only an unreferenced object', async () => {
    const { key } = await (await store.stage(Readable.from([Buffer.from('x')]), { maxBytes: 10 })).commit();
    expect(await store.deleteUnreferenced(key, async () => true)).toBe(false);
    expect(await readFile(store.pathOf(key), 'utf8')).toBe('x');
    expect(await store.deleteUnreferenced(key, async () => false)).toBe(true);
    expect(await store.head(key)).toBeNull();
  });

  it('sweeps staging files left by a process that died mid-upload, and only old ones', async () => {
    // given one old and one fresh staging file
    await mkdir(join(root, 'staging'), { recursive: true });
    await writeFile(join(root, 'staging', 'old.part'), 'x');
    await utimes(join(root, 'staging', 'old.part'), new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
    await writeFile(join(root, 'staging', 'fresh.part'), 'y');
    // when
    const removed = await store.sweepStaging(3600_000);
    // then
    expect(removed).toBe(1);
    expect(await readdir(join(root, 'staging'))).toEqual(['fresh.part']);
  });

  it('discards a staged object that fails inspection', async () => {
    const staged = await store.stage(Readable.from([Buffer.from('bad')]), { maxBytes: 10 });
    await staged.discard();
    expect(await readdir(join(root, 'staging'))).toEqual([]);
    expect(await store.head(staged.sha256)).toBeNull();
  });
});
