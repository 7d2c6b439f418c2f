import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtures } from '@gov/storage/testing';
import { strToU8, zipSync } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import pino from 'pino';
import { OFD_MAX_XML_BYTES } from './page-count';
import { PageCounter, type PageCounterOptions } from './page-counter';

// The counter runs a real child process started from these sources, as the service starts it from its build.
jest.setTimeout(60_000);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'page-counter-'));
});
const counters: PageCounter[] = [];
afterAll(async () => {
  await Promise.all(counters.map((c) => c.close()));
  await rm(dir, { recursive: true, force: true });
});

function counter(options: Partial<PageCounterOptions> = {}): PageCounter {
  const c = new PageCounter({ nice: 10, idleMs: 30_000, timeoutMs: 30_000, maxOldSpaceMb: 256, logger: pino({ level: 'silent' }), ...options });
  counters.push(c);
  return c;
}

let n = 0;
async function staged(bytes: Uint8Array): Promise<string> {
  const path = join(dir, `file-${n++}`);
  await writeFile(path, bytes);
  return path;
}

async function pdfOf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]);
  return doc.save();
}

/** A one-page PDF followed by `objects` small objects referring to themselves: pdf-lib parses each (~20 µs apiece). */
function pdfOfManyObjects(objects: number): Buffer {
  const parts = [fixtures.pdf().toString('latin1').replace(/trailer[\s\S]*$/, '')];
  for (let i = 4; i < 4 + objects; i++) parts.push(`${i} 0 obj\n[${i} 0 R ${i} 0 R << /N ${i} >>]\nendobj\n`);
  parts.push('trailer\n<< /Root 1 0 R >>\n%%EOF\n');
  return Buffer.from(parts.join(''), 'latin1');
}

const NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';
function ofdOf(documents: Array<{ root: string; pages: number }>, extra: Record<string, Uint8Array> = {}): Uint8Array {
  const files: Record<string, Uint8Array> = {
    'OFD.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ${NS} Version="1.0" DocType="OFD">${documents.map((d) => `<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>${d.root}</ofd:DocRoot></ofd:DocBody>`).join('')}</ofd:OFD>`,
    ),
  };
  for (const d of documents) {
    const pages = Array.from({ length: d.pages }, (_, i) => `<ofd:Page ID="${i + 10}" BaseLoc="Pages/Page_${i}/Content.xml"/>`).join('\n');
    files[d.root.replace(/^\//, '').replace('/./', '/')] = strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><ofd:Document ${NS}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><!-- <ofd:Page ID="99"/> --><ofd:Pages>${pages}</ofd:Pages></ofd:Document>`,
    );
  }
  return zipSync({ ...files, ...extra });
}

const niceOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);

describe('PageCounter', () => {
  it('counts the pages of a PDF in a child process of lower priority', async () => {
    // given
    const pages = counter();
    // when
    const count = await pages.count({ path: await staged(await pdfOf(3)), type: 'application/pdf' });
    // then
    expect(count).toEqual({ ok: true, pages: 3 });
    expect(pages.pid).toBeDefined();
    expect(pages.pid).not.toBe(process.pid);
    expect(niceOf(pages.pid!)).toBe(niceOf(process.pid) + 10);
  });

  it('counts the pages of an OFD, over all its documents, by DocRoot relative or absolute', async () => {
    // given
    const pages = counter();
    const one = await staged(ofdOf([{ root: 'Doc_0/Document.xml', pages: 4 }]));
    const two = await staged(ofdOf([{ root: 'Doc_0/Document.xml', pages: 2 }, { root: '/Doc_1/./Document.xml', pages: 5 }]));
    // when
    const counts = await Promise.all([pages.count({ path: one, type: 'application/ofd' }), pages.count({ path: two, type: 'application/ofd' })]);
    // then
    expect(counts).toEqual([
      { ok: true, pages: 4 },
      { ok: true, pages: 7 },
    ]);
  });

  it('counts the test fixtures as one page each', async () => {
    const pages = counter();
    expect(await pages.count({ path: await staged(fixtures.pdf()), type: 'application/pdf' })).toEqual({ ok: true, pages: 1 });
    expect(await pages.count({ path: await staged(fixtures.ofd()), type: 'application/ofd' })).toEqual({ ok: true, pages: 1 });
  });

  it.each([
    ['a PDF whose page tree holds no page', 'application/pdf' as const, () => Buffer.from(fixtures.pdf().toString('latin1').replace('/Kids [3 0 R] /Count 1', '/Kids [] /Count 0'), 'latin1'), /no page/],
    ['a PDF that is a header only', 'application/pdf' as const, () => Buffer.from('%PDF-1.7\n%%EOF\n', 'latin1'), /page tree/],
    ['an OFD whose document lists no page', 'application/ofd' as const, () => ofdOf([{ root: 'Doc_0/Document.xml', pages: 0 }]), /no page/],
    ['an OFD whose DocRoot leaves the package', 'application/ofd' as const, () => ofdOf([{ root: '../Doc_0/Document.xml', pages: 1 }]), /outside the package/],
    [
      'an OFD whose DocRoot names a missing entry',
      'application/ofd' as const,
      () => zipSync({ 'OFD.xml': strToU8(`<ofd:OFD ${NS}><ofd:DocBody><ofd:DocRoot>Doc_9/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`) }),
      /missing/,
    ],
    [
      'an OFD with a Document.xml larger than the counter inflates',
      'application/ofd' as const,
      () => {
        const big = strToU8(`<ofd:Document ${NS}><ofd:Pages><ofd:Page ID="1"/></ofd:Pages>${' '.repeat(OFD_MAX_XML_BYTES)}</ofd:Document>`);
        return zipSync({ 'OFD.xml': strToU8(`<ofd:OFD ${NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`), 'Doc_0/Document.xml': big });
      },
      /larger than/,
    ],
  ])('answers unreadable for %s', async (_what, type, make, message) => {
    // given
    const pages = counter();
    const path = await staged(make());
    // when
    const count = await pages.count({ path, type });
    // then
    expect(count).toMatchObject({ ok: false, reason: 'unreadable' });
    expect(count.ok ? '' : count.message).toMatch(message);
  });

  it('kills a count that overruns its time limit, answers timeout, and counts the next file in a new child', async () => {
    // given a PDF that takes pdf-lib seconds (100,000 objects), a limit of 200 ms, and a sound PDF queued behind it
    const pages = counter({ timeoutMs: 200 });
    await pages.count({ path: await staged(await pdfOf(1)), type: 'application/pdf' });
    const first = pages.pid;
    const slow = await staged(pdfOfManyObjects(100_000));
    const sound = await staged(await pdfOf(2));
    // when
    const started = Date.now();
    const [overrun, next] = await Promise.all([pages.count({ path: slow, type: 'application/pdf' }), pages.count({ path: sound, type: 'application/pdf' })]);
    // then the slow file alone fails, within its limit (not the seconds it would take)
    expect(overrun).toEqual({ ok: false, reason: 'timeout', message: 'counting its pages took longer than 200 ms' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(next).toEqual({ ok: true, pages: 2 });
    expect(pages.pid).toBeDefined();
    expect(pages.pid).not.toBe(first);
  });

  it('counts the CPU time of a count, not the time its child waits for the CPU', async () => {
    // given a count of ~0.2 s of CPU whose child is held (SIGSTOP: as a niced process on a busy machine) past the limit
    const pages = counter({ timeoutMs: 1000 });
    await pages.count({ path: await staged(await pdfOf(1)), type: 'application/pdf' });
    const pid = pages.pid!;
    const counting = pages.count({ path: await staged(pdfOfManyObjects(10_000)), type: 'application/pdf' });
    process.kill(pid, 'SIGSTOP');
    // when it gets the CPU again after 1.5 s
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(pid, 'SIGCONT');
    // then the count is answered, by the same child
    expect(await counting).toEqual({ ok: true, pages: 1 });
    expect(pages.pid).toBe(pid);
  });

  it('still cuts a count that gets no CPU for longer than the wall-time limit', async () => {
    // given a child held for good
    const pages = counter({ timeoutMs: 300, wallTimeoutMs: 900 });
    await pages.count({ path: await staged(await pdfOf(1)), type: 'application/pdf' });
    const pid = pages.pid!;
    const counting = pages.count({ path: await staged(await pdfOf(2)), type: 'application/pdf' });
    process.kill(pid, 'SIGSTOP');
    // when / then
    expect(await counting).toEqual({ ok: false, reason: 'timeout', message: 'counting its pages took longer than 900 ms (wall time)' });
    expect(pages.pid).not.toBe(pid);
  });

  it('answers memory for a PDF that needs more heap than the child may use, and keeps counting', async () => {
    // given a child limited to 32 MiB and a PDF whose objects need several times that
    const pages = counter({ maxOldSpaceMb: 32 });
    const heavy = await staged(pdfOfManyObjects(400_000));
    // when
    const count = await pages.count({ path: heavy, type: 'application/pdf' });
    // then
    expect(count).toEqual({ ok: false, reason: 'memory', message: 'reading it took more than the 32 MiB allowed' });
    expect(await pages.count({ path: await staged(await pdfOf(1)), type: 'application/pdf' })).toEqual({ ok: true, pages: 1 });
  });

  it('ends the child when idle, and starts a new one for the next count', async () => {
    // given
    const pages = counter({ idleMs: 300 });
    await pages.count({ path: await staged(await pdfOf(1)), type: 'application/pdf' });
    expect(pages.running).toBe(true);
    // when idle past the limit
    await new Promise((r) => setTimeout(r, 900));
    // then
    expect(pages.running).toBe(false);
    expect(await pages.count({ path: await staged(await pdfOf(2)), type: 'application/pdf' })).toEqual({ ok: true, pages: 2 });
  });
});
