import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtures } from '../testing/fixtures';
import { detectContentType } from './content-type';
import { checkFileName, contentDisposition, downloadName } from './file-name';
import { DEFAULT_ZIP_LIMITS, inspectZip } from './zip-inspector';

describe('content inspection', () => {
  let dir: string;
  let n = 0;
  const file = async (bytes: Buffer) => {
    const path = join(dir, `f${n++}`);
    await writeFile(path, bytes);
    return path;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'inspect-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['application/pdf', fixtures.pdf()],
    ['image/png', fixtures.png()],
    ['image/jpeg', fixtures.jpeg()],
    ['image/tiff', fixtures.tiff()],
    ['application/ofd', fixtures.ofd()],
  ])('detects %s by its bytes', async (type, bytes) => {
    expect(await detectContentType(await file(bytes), DEFAULT_ZIP_LIMITS)).toMatchObject({ ok: true, type });
  });

  it.each([
    ['an executable', fixtures.exe(), /Windows executable/],
    ['HTML', fixtures.html(), /HTML or XML/],
    ['a zip that is not an OFD', fixtures.plainZip(), /without OFD\.xml/],
    ['an empty file', Buffer.alloc(0), /empty file/],
  ])('refuses %s, naming what it found', async (_what, bytes, message) => {
    const detection = await detectContentType(await file(bytes), DEFAULT_ZIP_LIMITS);
    expect(detection.ok).toBe(false);
    if (!detection.ok) expect(detection.message).toMatch(message);
  });

  it.each([
    ['a compression bomb', () => fixtures.zipBomb(20), 'ratio'],
    ['an entry larger than declared', () => fixtures.lyingZip(), 'actualSize'],
    ['a nested archive by name', () => fixtures.nestedZip(true), 'nested'],
    ['a nested archive by content', () => fixtures.nestedZip(false), 'nested'],
    ['a zip-slip entry name', () => fixtures.zipSlip(), 'entryName'],
  ])('refuses %s in an OFD', async (_what, make, rule) => {
    const result = await inspectZip(await file(make()), DEFAULT_ZIP_LIMITS);
    expect(result).toMatchObject({ ok: false, rule });
  });

  it('refuses more entries than allowed and a declared total above the limit', async () => {
    const path = await file(fixtures.ofd());
    expect(await inspectZip(path, { ...DEFAULT_ZIP_LIMITS, maxEntries: 1 })).toMatchObject({ ok: false, rule: 'entries' });
    expect(await inspectZip(path, { ...DEFAULT_ZIP_LIMITS, maxTotalUncompressed: 10 })).toMatchObject({ ok: false, rule: 'totalSize' });
  });

  it('refuses a truncated archive as malformed rather than throwing', async () => {
    const ofd = fixtures.ofd();
    expect(await inspectZip(await file(ofd.subarray(0, ofd.length - 30)), DEFAULT_ZIP_LIMITS)).toMatchObject({ ok: false, rule: 'structure' });
  });
});

describe('file names', () => {
  it.each([
    ['../../etc/passwd', 'pathSeparator'],
    ['/etc/passwd', 'pathSeparator'],
    ['C:\\Windows\\evil.pdf', 'pathSeparator'],
    ['..', 'dotSegment'],
    ['a\u0000.pdf', 'controlCharacter'],
    ['a\nb.pdf', 'controlCharacter'],
    ['invoice\u202Efdp.exe', 'bidiControl'],
    ['CON.pdf', 'reservedName'],
    ['lpt1', 'reservedName'],
    ['file.pdf.', 'trailingDotOrSpace'],
    ['a:stream.pdf', 'reservedCharacter'],
    [`${'名'.repeat(86)}.pdf`, 'tooLong'],
    ['\ud800.pdf', 'illFormed'],
    ['  ', 'empty'],
  ])('refuses %j (%s)', (name, rule) => {
    expect(checkFileName(name)).toMatchObject({ ok: false, rule });
  });

  it('keeps an ordinary Chinese name, normalised to NFC', () => {
    expect(checkFileName('营业执照副本.pdf')).toEqual({ ok: true, name: '营业执照副本.pdf' });
    expect(checkFileName('Cafe\u0301.pdf')).toEqual({ ok: true, name: 'Caf\u00e9.pdf' });
  });

  it('offers a download name with the detected extension and a safe Content-Disposition', () => {
    expect(downloadName('scan.pdf.exe', 'application/pdf')).toBe('scan.pdf.exe.pdf');
    expect(downloadName('照片.JPG', 'image/jpeg')).toBe('照片.JPG');
    expect(contentDisposition('营业执照 "副本".pdf')).toBe(
      `attachment; filename="____ ____.pdf"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%22%E5%89%AF%E6%9C%AC%22.pdf`,
    );
  });
});
