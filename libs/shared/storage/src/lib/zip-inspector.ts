import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { crc32, createInflateRaw } from 'node:zlib';
import { hasControlCharacter } from './file-name';

// A zip (OFD is a zip of XML and resources, GB/T 33190) is read from its central directory and then every entry is
// really inflated, with a running count, so that what the archive declares is checked against what it holds. Refused:
// zip64 and multi-disk archives, encryption, methods other than stored/deflate, more entries than allowed, a declared
// or an actual total above the limit, a compression ratio above the limit (zip bombs), entries that overlap or whose
// local header disagrees with the directory (overlapping-entry bombs), an entry that inflates past its declared size,
// a CRC mismatch, nested archives, and entry names with path tricks (zip slip).

export interface ZipLimits {
  maxEntries: number;
  /** Largest total of uncompressed bytes, declared and actual. */
  maxTotalUncompressed: number;
  /** Largest uncompressed/compressed ratio of one entry (and of the whole archive). */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 1000, maxTotalUncompressed: 256 * 1024 * 1024, maxRatio: 100 };

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  localOffset: number;
}

export type ZipRule =
  'structure' | 'zip64' | 'encrypted' | 'method' | 'entries' | 'totalSize' | 'ratio' | 'overlap' | 'actualSize' | 'crc' | 'nested' | 'entryName';

export type ZipInspection = { ok: true; entries: ZipEntry[]; totalSize: number } | { ok: false; rule: ZipRule; message: string };

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const NESTED_EXT = /\.(zip|ofd|jar|rar|7z|gz|tgz|bz2|xz|tar|cab|apk|docx|xlsx|pptx)$/i;

class Refusal extends Error {
  constructor(
    readonly rule: ZipRule,
    message: string,
  ) {
    super(message);
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new Refusal('structure', 'The archive is truncated.');
  return buffer;
}

/** A zip entry name that could escape an extraction directory or hide what it is. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.length === 0) return 'an empty entry name';
  if (hasControlCharacter(name)) return 'a control character in an entry name';
  if (name.includes('\\')) return 'a backslash in an entry name';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'an absolute entry name';
  if (name.split('/').some((s) => s === '..')) return 'a ".." segment in an entry name';
  if (/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/.test(name)) return 'a bidirectional control character in an entry name';
  return undefined;
}

function nestedSignature(head: Buffer): boolean {
  const is = (bytes: number[]) => head.length >= bytes.length && bytes.every((x, i) => head[i] === x);
  return is([0x50, 0x4b, 0x03, 0x04]) || is([0x1f, 0x8b]) || is([0x52, 0x61, 0x72, 0x21]) || is([0x37, 0x7a, 0xbc, 0xaf]) || is([0x42, 0x5a, 0x68]);
}

async function readDirectory(handle: FileHandle, fileSize: number, limits: ZipLimits): Promise<{ entries: ZipEntry[]; cdOffset: number }> {
  if (fileSize < 22) throw new Refusal('structure', 'The archive is too short to be a zip.');
  const tailLength = Math.min(fileSize, 22 + 0xffff);
  const tail = await readAt(handle, fileSize - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) === tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new Refusal('structure', 'The archive has no end-of-central-directory record.');
  if (at >= 20 && tail.readUInt32LE(at - 20) === ZIP64_LOCATOR) throw new Refusal('zip64', 'ZIP64 archives are not accepted.');
  const disk = tail.readUInt16LE(at + 4);
  const cdDisk = tail.readUInt16LE(at + 6);
  const onDisk = tail.readUInt16LE(at + 8);
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new Refusal('zip64', 'ZIP64 archives are not accepted.');
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw new Refusal('structure', 'Multi-disk archives are not accepted.');
  if (count > limits.maxEntries) throw new Refusal('entries', `The archive has ${count} entries; at most ${limits.maxEntries} are accepted.`);
  const eocdOffset = fileSize - tailLength + at;
  if (cdOffset + cdSize > eocdOffset) throw new Refusal('structure', 'The central directory lies outside the archive.');
  const cd = await readAt(handle, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw new Refusal('structure', 'The central directory is malformed.');
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    const compressedSize = cd.readUInt32LE(p + 20);
    const size = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const localOffset = cd.readUInt32LE(p + 42);
    if (p + 46 + nameLength > cd.length) throw new Refusal('structure', 'The central directory is malformed.');
    const name = cd.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    p += 46 + nameLength + extraLength + commentLength;
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) throw new Refusal('zip64', 'ZIP64 archives are not accepted.');
    if (flags & 0x1) throw new Refusal('encrypted', `The archive entry ${JSON.stringify(name.slice(0, 100))} is encrypted.`);
    if (method !== 0 && method !== 8)
      throw new Refusal(
        'method',
        `The archive entry ${JSON.stringify(name.slice(0, 100))} uses compression method ${method}; only stored and deflate are accepted.`,
      );
    const unsafe = unsafeEntryName(name);
    if (unsafe) throw new Refusal('entryName', `The archive holds ${unsafe}: ${JSON.stringify(name.slice(0, 100))}.`);
    if (NESTED_EXT.test(name))
      throw new Refusal('nested', `The archive holds another archive (${JSON.stringify(name.slice(0, 100))}); nested archives are not accepted.`);
    if (method === 0 && compressedSize !== size)
      throw new Refusal('structure', `The stored entry ${JSON.stringify(name.slice(0, 100))} declares different sizes.`);
    entries.push({ name, method, compressedSize, size, crc, localOffset });
  }
  if (p !== cd.length) throw new Refusal('structure', 'The central directory size does not match its entries.');
  return { entries, cdOffset };
}

/** Inflates one entry, counting, and stops the moment it passes its declared size. */
function checkEntryData(path: string, entry: ZipEntry, dataStart: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const input = entry.compressedSize === 0 ? undefined : createReadStream(path, { start: dataStart, end: dataStart + entry.compressedSize - 1 });
    let produced = 0;
    let crc = 0;
    let head = Buffer.alloc(0);
    let settled = false;
    const inflate = entry.method === 8 ? createInflateRaw() : undefined;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      input?.destroy();
      inflate?.destroy();
      reject(e);
    };
    const onData = (chunk: Buffer) => {
      produced += chunk.length;
      if (produced > entry.size) {
        fail(
          new Refusal('actualSize', `The archive entry ${JSON.stringify(entry.name.slice(0, 100))} inflates to more than its declared ${entry.size} bytes.`),
        );
        return;
      }
      if (head.length < 8) head = Buffer.concat([head, chunk.subarray(0, 8 - head.length)]);
      crc = crc32(chunk, crc);
    };
    const onEnd = () => {
      if (settled) return;
      if (produced !== entry.size)
        return fail(
          new Refusal('actualSize', `The archive entry ${JSON.stringify(entry.name.slice(0, 100))} holds ${produced} bytes, not the declared ${entry.size}.`),
        );
      if (crc >>> 0 !== entry.crc >>> 0) return fail(new Refusal('crc', `The archive entry ${JSON.stringify(entry.name.slice(0, 100))} fails its CRC check.`));
      if (nestedSignature(head))
        return fail(
          new Refusal('nested', `The archive entry ${JSON.stringify(entry.name.slice(0, 100))} is itself an archive; nested archives are not accepted.`),
        );
      settled = true;
      resolve();
    };
    if (!input) {
      onEnd();
      return;
    }
    if (!inflate) {
      input.on('data', (c: Buffer | string) => onData(Buffer.isBuffer(c) ? c : Buffer.from(c)));
      input.on('end', onEnd);
      input.on('error', () => fail(new Refusal('structure', 'The archive could not be read.')));
      return;
    }
    inflate.on('data', onData);
    inflate.on('end', onEnd);
    inflate.on('error', () => fail(new Refusal('structure', `The archive entry ${JSON.stringify(entry.name.slice(0, 100))} is not valid deflate data.`)));
    input.on('error', () => fail(new Refusal('structure', 'The archive could not be read.')));
    input.pipe(inflate);
  });
}

/** Checks a zip file on disk against the limits; never extracts anything to the filesystem. */
export async function inspectZip(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipInspection> {
  const handle = await open(path, 'r');
  try {
    const fileSize = (await handle.stat()).size;
    const { entries, cdOffset } = await readDirectory(handle, fileSize, limits);
    const declared = entries.reduce((s, e) => s + e.size, 0);
    if (declared > limits.maxTotalUncompressed)
      throw new Refusal('totalSize', `The archive declares ${declared} bytes uncompressed; at most ${limits.maxTotalUncompressed} are accepted.`);
    const compressed = entries.reduce((s, e) => s + e.compressedSize, 0);
    if (declared > 0 && declared / Math.max(compressed, 1) > limits.maxRatio) {
      throw new Refusal(
        'ratio',
        `The archive expands ${Math.round(declared / Math.max(compressed, 1))} times; at most ${limits.maxRatio} is accepted (a compression bomb).`,
      );
    }
    const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
    let previousEnd = 0;
    for (const entry of byOffset) {
      if (entry.size > 0 && entry.size / Math.max(entry.compressedSize, 1) > limits.maxRatio) {
        throw new Refusal(
          'ratio',
          `The archive entry ${JSON.stringify(entry.name.slice(0, 100))} expands more than ${limits.maxRatio} times (a compression bomb).`,
        );
      }
      if (entry.localOffset < previousEnd) throw new Refusal('overlap', 'Archive entries overlap (an overlapping-entry zip bomb).');
      const local = await readAt(handle, entry.localOffset, 30);
      if (local.readUInt32LE(0) !== LOCAL) throw new Refusal('structure', 'An archive entry has no local header.');
      const nameLength = local.readUInt16LE(26);
      const extraLength = local.readUInt16LE(28);
      const localName = (await readAt(handle, entry.localOffset + 30, nameLength)).toString('utf8');
      if (localName !== entry.name) throw new Refusal('structure', 'An archive entry is named differently in its local header and the central directory.');
      const dataStart = entry.localOffset + 30 + nameLength + extraLength;
      const dataEnd = dataStart + entry.compressedSize;
      if (dataEnd > cdOffset) throw new Refusal('overlap', 'An archive entry runs into the central directory.');
      previousEnd = dataEnd;
    }
    let actual = 0;
    for (const entry of byOffset) {
      const local = await readAt(handle, entry.localOffset + 26, 4);
      await checkEntryData(path, entry, entry.localOffset + 30 + local.readUInt16LE(0) + local.readUInt16LE(2));
      actual += entry.size;
      if (actual > limits.maxTotalUncompressed)
        throw new Refusal('totalSize', `The archive holds more than ${limits.maxTotalUncompressed} bytes uncompressed.`);
    }
    return { ok: true, entries, totalSize: actual };
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, rule: e.rule, message: e.message };
    throw e;
  } finally {
    await handle.close();
  }
}
