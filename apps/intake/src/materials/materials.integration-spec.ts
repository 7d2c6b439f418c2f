import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { fixtures } from '@gov/storage/testing';
import { eventually } from '@gov/testing';
import { PDFDocument, PDFName } from 'pdf-lib';
import { DataSource } from 'typeorm';
import { IntakeErrors } from '../errors';
import { DEMO_MATTER, type Refusal, type TestIntake, USERS, applicationBody, http, startTestIntake, tokenOf } from '../testing/test-app';
import { MaterialsService } from './materials.service';

interface MaterialFile {
  materialId: string;
  slotKey: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  state: string;
}
interface Receipt {
  caseNumber: string;
  frozen: boolean;
  slots: Array<{ key: string; files: MaterialFile[] }>;
  missingRequired: string[];
  deferrable: string[];
}
type Answer = MaterialFile & Refusal & { details?: Record<string, unknown> };

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** A test slot on the demo matter: OFD or PDF, at most 64 KiB (the demo's own slots take PDF/JPEG/PNG up to 20 MiB). */
const SCAN_SLOT = { key: 'scan', name: '扫描件（测试）', required: false, form: 'copy', contentTypes: ['application/ofd', 'application/pdf'], maxBytes: 65536 };

describe('materials over HTTP', () => {
  let t: TestIntake;
  let dir: string;
  const tokens: Record<string, string> = {};

  const apply = async (as: string = USERS.zhangsan): Promise<string> => {
    const res = await http<{ caseNumber: string }>(`${t.url}/applications`, { token: tokens[as], body: applicationBody() });
    expect(res.status).toBe(201);
    return res.body.caseNumber;
  };
  const upload = (caseNumber: string, slot: string, bytes: Buffer, options: { as?: string; fileName?: string; key?: string; type?: string } = {}) =>
    http<Answer>(
      `${t.url}/applications/${caseNumber}/materials/${slot}${options.fileName === undefined ? '' : `?fileName=${encodeURIComponent(options.fileName)}`}`,
      {
        token: tokens[options.as ?? USERS.zhangsan],
        rawBody: bytes,
        headers: { 'content-type': options.type ?? 'application/octet-stream', 'idempotency-key': options.key ?? randomUUID() },
      },
    );
  const receipt = (caseNumber: string, as: string = USERS.zhangsan) =>
    http<Receipt & Refusal>(`${t.url}/applications/${caseNumber}/materials`, { token: tokens[as] });
  const rows = async (caseNumber: string) =>
    t.ownerQuery<{ slot_key: string; sha256: string; state: string }>(
      'SELECT m.slot_key, m.sha256, m.state FROM application_materials m JOIN applications a ON a.id = m.application_id WHERE a.case_number = $1 ORDER BY m.uploaded_at',
      [caseNumber],
    );
  const objects = async (): Promise<string[]> => {
    const found: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
        if (e.isDirectory()) await walk(join(d, e.name));
        else found.push(e.name);
      }
    };
    await walk(join(dir, 'objects'));
    return found.sort();
  };
  /** The demo matter version's slots as the catalogue holds them (with the test slot). */
  const demoSlots = async () =>
    (
      await t.ownerQuery<{ materials: Array<{ key: string; required: boolean; mayBeDeferred?: boolean }> }>(
        `SELECT elements->'materials' AS materials FROM matter_versions WHERE code = $1 AND version = 1`,
        [DEMO_MATTER],
      )
    )[0].materials;
  const staging = async () => readdir(join(dir, 'staging')).catch(() => []);
  const expectNothingStored = async (caseNumber: string, objectsBefore: string[]) => {
    expect(await rows(caseNumber)).toEqual([]);
    expect(await objects()).toEqual(objectsBefore);
    expect(await staging()).toEqual([]);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'intake-materials-'));
    t = await startTestIntake({ MATERIALS_DIR: dir });
    await t.ownerQuery(
      `UPDATE matter_versions SET elements = jsonb_set(elements, '{materials}', (elements->'materials') || $1::jsonb) WHERE code = $2 AND version = 1`,
      [JSON.stringify([SCAN_SLOT]), DEMO_MATTER],
    );
    for (const user of Object.values(USERS)) tokens[user] = await tokenOf(user);
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('a good upload', () => {
    it('stores the file by its SHA-256, lists it on the receipt and downloads the same bytes', async () => {
      // given
      const caseNumber = await apply();
      const pdf = fixtures.pdf('营业执照');
      // when
      const res = await upload(caseNumber, 'businessLicence', pdf, { fileName: '营业执照 副本;100%.pdf', type: 'application/pdf' });
      // then
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        slotKey: 'businessLicence',
        fileName: '营业执照 副本;100%.pdf',
        contentType: 'application/pdf',
        size: pdf.length,
        sha256: sha(pdf),
        state: 'received',
      });
      expect(await objects()).toContain(sha(pdf));
      expect(await staging()).toEqual([]);
      const list = await receipt(caseNumber);
      expect(list.status).toBe(200);
      expect(list.body.slots.find((s) => s.key === 'businessLicence')?.files.map((f) => f.sha256)).toEqual([sha(pdf)]);
      const slots = await demoSlots();
      const missing = slots.filter((m) => m.required && m.key !== 'businessLicence');
      expect(missing.length).toBeGreaterThan(0);
      expect(list.body.missingRequired).toEqual(missing.map((m) => m.key));
      expect(list.body.deferrable).toEqual(missing.filter((m) => m.mayBeDeferred).map((m) => m.key));
      // and the download gives the same bytes, typed and safely named
      const download = await fetch(`${t.url}/applications/${caseNumber}/materials/${res.body.materialId}/content`, {
        headers: { authorization: `Bearer ${tokens[USERS.clerk]}` },
      });
      const bytes = Buffer.from(await download.arrayBuffer());
      expect(download.status).toBe(200);
      expect(sha(bytes)).toBe(sha(pdf));
      expect(download.headers.get('content-type')).toBe('application/pdf');
      expect(download.headers.get('content-disposition')).toBe(
        `attachment; filename="____ ___100_.pdf"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%E5%89%AF%E6%9C%AC%3B100%25.pdf`,
      );
      expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('accepts a sound OFD package for a slot that takes OFD, by its content whatever it is called', async () => {
      const caseNumber = await apply();
      const res = await upload(caseNumber, 'scan', fixtures.ofd(), { fileName: 'scan.bin' });
      expect(res.status).toBe(201);
      expect(res.body.contentType).toBe('application/ofd');
    });

    it('answers a retry with the same Idempotency-Key with the same record, once, and refuses the key for another file', async () => {
      // given
      const caseNumber = await apply();
      const key = randomUUID();
      const first = await upload(caseNumber, 'legalRepId', fixtures.png(), { key, fileName: 'id.png' });
      // when
      const retry = await upload(caseNumber, 'legalRepId', fixtures.png(), { key, fileName: 'id.png' });
      const other = await upload(caseNumber, 'legalRepId', fixtures.jpeg(), { key, fileName: 'id.png' });
      // then
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body.materialId).toBe(first.body.materialId);
      expect(other.status).toBe(409);
      expect(other.body.error).toBe(IntakeErrors.code.IdempotencyKeyReused);
      expect(await rows(caseNumber)).toHaveLength(1);
    });

    it('refuses the same file twice in one application, naming the slot it is already in', async () => {
      const caseNumber = await apply();
      const pdf = fixtures.pdf('twice');
      expect((await upload(caseNumber, 'businessLicence', pdf)).status).toBe(201);
      const again = await upload(caseNumber, 'premisesPlan', pdf);
      expect(again.status).toBe(409);
      expect(again.body.error).toBe(IntakeErrors.code.DuplicateMaterial);
      expect(again.body.details).toMatchObject({ slotKey: 'businessLicence', sha256: sha(pdf) });
      expect(await rows(caseNumber)).toHaveLength(1);
    });

    it('streams a multi-megabyte file in and out unchanged', async () => {
      // given a 6 MiB PDF, a page and an image stream (the demo slots take up to 20 MiB)
      const caseNumber = await apply();
      const doc = await PDFDocument.create();
      doc.addPage([595, 842]);
      doc.catalog.set(PDFName.of('Scan'), doc.context.register(doc.context.stream(randomBytes(6 * 1024 * 1024), { Type: 'XObject', Subtype: 'Image' })));
      const big = Buffer.from(await doc.save());
      // when
      const res = await upload(caseNumber, 'premisesPlan', big, { fileName: '平面图.pdf' });
      const download = await fetch(`${t.url}/applications/${caseNumber}/materials/${res.body.materialId}/content`, {
        headers: { authorization: `Bearer ${tokens[USERS.zhangsan]}` },
      });
      // then
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ size: big.length, sha256: sha(big), pages: 1 });
      expect(sha(Buffer.from(await download.arrayBuffer()))).toBe(sha(big));
    });

    it('lets only one of two concurrent uploads of the same file in', async () => {
      const caseNumber = await apply();
      const pdf = fixtures.pdf('race');
      const answers = await Promise.all([upload(caseNumber, 'businessLicence', pdf), upload(caseNumber, 'premisesPlan', pdf)]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      expect(await rows(caseNumber)).toHaveLength(1);
    });

    it('lets the applicant remove a file before acceptance and upload it again', async () => {
      const caseNumber = await apply();
      const first = await upload(caseNumber, 'premisesPlan', fixtures.pdf('plan'));
      const removed = await http(`${t.url}/applications/${caseNumber}/materials/${first.body.materialId}`, { method: 'DELETE', token: tokens[USERS.zhangsan] });
      expect(removed.status).toBe(204);
      expect((await upload(caseNumber, 'premisesPlan', fixtures.pdf('plan'))).status).toBe(201);
      expect((await rows(caseNumber)).map((r) => r.state)).toEqual(['removed', 'received']);
    });
  });

  describe('integrity', () => {
    it('cuts a download whose stored bytes no longer match their recorded SHA-256', async () => {
      // given a stored file altered on disk behind the service's back
      const caseNumber = await apply();
      const pdf = fixtures.pdf('tamper');
      const res = await upload(caseNumber, 'premisesPlan', pdf);
      const path = join(dir, 'objects', res.body.sha256.slice(0, 2), res.body.sha256.slice(2, 4), res.body.sha256);
      await writeFile(path, Buffer.from(pdf.toString('latin1').replace('tamper', 'TAMPER'), 'latin1'));
      // when the file is downloaded
      const download = fetch(`${t.url}/applications/${caseNumber}/materials/${res.body.materialId}/content`, {
        headers: { authorization: `Bearer ${tokens[USERS.zhangsan]}` },
      }).then((r) => r.arrayBuffer());
      // then the body never arrives whole: the connection is cut before the last bytes
      await expect(download).rejects.toThrow();
      // and the good file still downloads whole
      await writeFile(path, pdf);
      const again = await fetch(`${t.url}/applications/${caseNumber}/materials/${res.body.materialId}/content`, {
        headers: { authorization: `Bearer ${tokens[USERS.zhangsan]}` },
      });
      expect(sha(Buffer.from(await again.arrayBuffer()))).toBe(res.body.sha256);
    });
  });

  describe('refuses, storing nothing', () => {
    it.each([
      ['an executable named and declared as a PDF', fixtures.exe(), 'application/pdf', /Windows executable/],
      ['HTML declared as a PNG', fixtures.html(), 'image/png', /HTML or XML/],
      ['an empty body', Buffer.alloc(0), 'application/pdf', /empty file/],
      ['a zip that is not an OFD', fixtures.plainZip(), 'application/ofd', /without OFD\.xml/],
    ])('%s (415 naming what the bytes are)', async (_what, bytes, type, message) => {
      const caseNumber = await apply();
      const before = await objects();
      const res = await upload(caseNumber, 'scan', bytes, { type, fileName: 'scan.pdf' });
      expect(res.status).toBe(415);
      expect(res.body.error).toBe(IntakeErrors.code.MaterialTypeRefused);
      expect(res.body.message).toMatch(message);
      await expectNothingStored(caseNumber, before);
    });

    it('a real document of a type the slot does not take (415 naming the type found and the types accepted)', async () => {
      const caseNumber = await apply();
      const before = await objects();
      const res = await upload(caseNumber, 'scan', fixtures.png(), { fileName: 'scan.ofd' });
      expect(res.status).toBe(415);
      expect(res.body.details).toMatchObject({ found: 'image/png', accepted: SCAN_SLOT.contentTypes });
      await expectNothingStored(caseNumber, before);
    });

    it.each([
      ['a compression bomb', () => fixtures.zipBomb(8), /compression bomb/],
      ['an entry bigger than declared', () => fixtures.lyingZip(), /more than its declared/],
      ['a nested archive', () => fixtures.nestedZip(true), /nested archives/],
      ['an archive hidden in an entry', () => fixtures.nestedZip(false), /nested archives/],
      ['a zip-slip entry', () => fixtures.zipSlip(), /"\.\." segment/],
    ])('an OFD with %s (400 ArchiveRefused)', async (_what, make, message) => {
      const caseNumber = await apply();
      const before = await objects();
      const bytes = make();
      expect(bytes.length).toBeLessThanOrEqual(SCAN_SLOT.maxBytes);
      const res = await upload(caseNumber, 'scan', bytes, { fileName: 'doc.ofd' });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe(IntakeErrors.code.ArchiveRefused);
      expect(res.body.message).toMatch(message);
      await expectNothingStored(caseNumber, before);
    });

    it('a file over the slot limit declared by Content-Length (413 naming the limit, body not read)', async () => {
      const caseNumber = await apply();
      const before = await objects();
      const res = await upload(caseNumber, 'scan', Buffer.concat([fixtures.pdf(), Buffer.alloc(SCAN_SLOT.maxBytes)]));
      expect(res.status).toBe(413);
      expect(res.body.error).toBe(IntakeErrors.code.MaterialTooLarge);
      expect(res.body.message).toContain(String(SCAN_SLOT.maxBytes));
      expect(res.body.details).toMatchObject({ maxBytes: SCAN_SLOT.maxBytes });
      await expectNothingStored(caseNumber, before);
    });

    it('a chunked body that passes the slot limit while streaming (413, the partial file removed)', async () => {
      // given a body without Content-Length, sent in chunks
      const caseNumber = await apply();
      const before = await objects();
      const chunks = [fixtures.pdf(), ...Array.from({ length: 8 }, () => Buffer.alloc(16 * 1024, 0x20))];
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.shift();
          if (next) controller.enqueue(next);
          else controller.close();
        },
      });
      // when
      const res = await fetch(`${t.url}/applications/${caseNumber}/materials/scan`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[USERS.zhangsan]}`, 'content-type': 'application/pdf', 'idempotency-key': randomUUID() },
        body,
        duplex: 'half',
      });
      // then
      expect(res.status).toBe(413);
      expect(((await res.json()) as Refusal).error).toBe(IntakeErrors.code.MaterialTooLarge);
      await expectNothingStored(caseNumber, before);
    });

    it('a client that stops sending mid-body: no record, no staging file left, the application still open to uploads', async () => {
      // given an upload that declares 60,000 bytes and is cut off after the first few
      const caseNumber = await apply();
      const before = await objects();
      const { port } = new URL(t.url);
      // when
      await new Promise<void>((resolve) => {
        const req = request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/applications/${caseNumber}/materials/scan`,
          headers: {
            authorization: `Bearer ${tokens[USERS.zhangsan]}`,
            'content-type': 'application/pdf',
            'content-length': '60000',
            'idempotency-key': randomUUID(),
          },
        });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        req.write(fixtures.pdf());
        setTimeout(() => req.destroy(), 200);
      });
      // then
      // (the answer cannot be observed: the client is gone; the staging file going away shows the upload settled)
      await eventually('the cut-off upload to be settled', async () => (await staging()).length === 0, 10_000);
      await expectNothingStored(caseNumber, before);
      expect((await upload(caseNumber, 'scan', fixtures.pdf('after the cut'))).status).toBe(201);
    });

    it.each([
      ['../../etc/passwd', 'pathSeparator'],
      ['/etc/passwd', 'pathSeparator'],
      ['..\\..\\boot.ini', 'pathSeparator'],
      ['invoice\u202Efdp.exe', 'bidiControl'],
      ['a\u0007b.pdf', 'controlCharacter'],
      ['a"b".pdf', 'reservedCharacter'],
      ['CON.pdf', 'reservedName'],
      ['report.pdf.', 'trailingDotOrSpace'],
      [`${'很'.repeat(90)}.pdf`, 'tooLong'],
    ])('the file name %j (400 naming the rule)', async (fileName, rule) => {
      const caseNumber = await apply();
      const before = await objects();
      const res = await upload(caseNumber, 'businessLicence', fixtures.pdf(), { fileName });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe(IntakeErrors.code.InvalidFileName);
      expect(res.body.details).toMatchObject({ field: 'query.fileName', rule });
      await expectNothingStored(caseNumber, before);
    });

    it('a file name with NUL (400 at the edge or at the name check)', async () => {
      const caseNumber = await apply();
      const res = await upload(caseNumber, 'businessLicence', fixtures.pdf(), { fileName: 'a\u0000.pdf' });
      expect(res.status).toBe(400);
      expect([IntakeErrors.code.InvalidText, IntakeErrors.code.InvalidFileName]).toContain(res.body.error);
      expect(await rows(caseNumber)).toEqual([]);
    });

    it('a slot the matter version does not have (404 listing the slots) and a malformed slot key (400)', async () => {
      const caseNumber = await apply();
      const wrong = await upload(caseNumber, 'passport', fixtures.pdf());
      expect(wrong.status).toBe(404);
      expect(wrong.body.error).toBe(IntakeErrors.code.MaterialSlotNotFound);
      expect(wrong.body.details).toMatchObject({ slots: (await demoSlots()).map((m) => m.key) });
      const malformed = await upload(caseNumber, '..%2F..%2Fetc', fixtures.pdf());
      expect(malformed.status).toBe(400);
      expect(await rows(caseNumber)).toEqual([]);
    });

    it('a JSON body, a body of another media type, and a missing Idempotency-Key', async () => {
      const caseNumber = await apply();
      const json = await http<Refusal>(`${t.url}/applications/${caseNumber}/materials/businessLicence`, {
        token: tokens[USERS.zhangsan],
        body: { file: 'JVBERi0=' },
      });
      expect(json.status).toBe(415);
      const text = await upload(caseNumber, 'businessLicence', fixtures.pdf(), { type: 'text/plain' });
      expect(text.status).toBe(415);
      expect(text.body.error).toBe(IntakeErrors.code.UnsupportedMediaType);
      const noKey = await upload(caseNumber, 'businessLicence', fixtures.pdf(), { key: '' });
      expect(noKey.status).toBe(400);
      expect(noKey.body.error).toBe(IntakeErrors.code.IdempotencyKeyMissing);
      expect(await rows(caseNumber)).toEqual([]);
    });
  });

  describe('after acceptance (materials frozen, seed 001 text 3 art. 11: 申请一经受理，其报件材料不得再行补正、替换)', () => {
    it('refuses additions and removals with 409, and the receipt shows the files frozen', async () => {
      // given an application with one file, frozen as acceptance freezes it
      const caseNumber = await apply();
      const first = await upload(caseNumber, 'businessLicence', fixtures.pdf('before'));
      const [{ id }] = await t.ownerQuery<{ id: string }>('SELECT id FROM applications WHERE case_number = $1', [caseNumber]);
      const frozen = await t.app.get(DataSource).transaction((m) => t.app.get(MaterialsService).freeze(m, id, new Date()));
      expect(frozen.map((f) => f.state)).toEqual(['frozen']);
      // when
      const addition = await upload(caseNumber, 'legalRepId', fixtures.pdf('after'));
      const removal = await http<Refusal>(`${t.url}/applications/${caseNumber}/materials/${first.body.materialId}`, {
        method: 'DELETE',
        token: tokens[USERS.zhangsan],
      });
      // then
      expect(addition.status).toBe(409);
      expect(addition.body.error).toBe(IntakeErrors.code.MaterialsFrozen);
      expect(removal.status).toBe(409);
      const list = await receipt(caseNumber);
      expect(list.body.frozen).toBe(true);
      expect(list.body.slots.flatMap((s) => s.files).map((f) => f.state)).toEqual(['frozen']);
      expect((await rows(caseNumber)).map((r) => r.state)).toEqual(['frozen']);
    });

    it('lets an upload and an accepting transaction (row locked, then the freeze) meet without a deadlock: the freeze waits or the upload does', async () => {
      // given an acceptance under way: the application row locked, as every acceptance transition locks it
      const caseNumber = await apply();
      const [{ id }] = await t.ownerQuery<{ id: string }>('SELECT id FROM applications WHERE case_number = $1', [caseNumber]);
      const accepting = t.app.get(DataSource).createQueryRunner();
      await accepting.connect();
      await accepting.startTransaction();
      let freezeError: unknown = null;
      try {
        await accepting.query('SELECT id FROM applications WHERE id = $1 FOR UPDATE', [id]);
        // when an upload arrives and reaches the database
        const uploading = upload(caseNumber, 'businessLicence', fixtures.pdf('racing the freeze'));
        await eventually('the upload waiting on a lock', async () => {
          const [w] = await t.superQuery<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
          return w.n > 0;
        });
        // and the acceptance then freezes the materials (in its transaction) and commits
        try {
          await t.app.get(MaterialsService).freeze(accepting.manager, id, new Date());
          await accepting.commitTransaction();
        } catch (e) {
          freezeError = e;
          await accepting.rollbackTransaction();
        }
        const uploaded = await uploading;
        // then neither was chosen as a deadlock victim: the freeze committed, and the upload was refused after it
        expect(freezeError).toBeNull();
        expect(uploaded.status).toBe(409);
        expect(uploaded.body.error).toBe(IntakeErrors.code.MaterialsFrozen);
        expect(await rows(caseNumber)).toEqual([]);
      } finally {
        if (accepting.isTransactionActive) await accepting.rollbackTransaction();
        await accepting.release();
      }
    });
  });

  describe('access', () => {
    it("refuses someone else's application to another applicant, another organisation's clerk and a non-clerk officer", async () => {
      const caseNumber = await apply();
      const lisi = await upload(caseNumber, 'businessLicence', fixtures.pdf(), { as: USERS.lisi });
      expect(lisi.status).toBe(403);
      expect(lisi.body.error).toBe('NotOwnApplication');
      const otherClerk = await upload(caseNumber, 'businessLicence', fixtures.pdf(), { as: USERS.otherClerk });
      expect(otherClerk.status).toBe(403);
      expect(otherClerk.body.error).toBe('OutsideOrganisation');
      const handler = await upload(caseNumber, 'businessLicence', fixtures.pdf(), { as: USERS.handler });
      expect(handler.status).toBe(403);
      expect(await rows(caseNumber)).toEqual([]);
      expect((await receipt(caseNumber, USERS.lisi)).status).toBe(403);
      expect((await receipt(caseNumber, USERS.otherClerk)).status).toBe(403);
    });

    it("lets the handling organisation's window clerk upload for the applicant, and keeps downloads to the applicant and that organisation", async () => {
      const caseNumber = await apply();
      const res = await upload(caseNumber, 'legalRepId', fixtures.jpeg(), { as: USERS.clerk, fileName: '身份证.jpg' });
      expect(res.status).toBe(201);
      const url = `${t.url}/applications/${caseNumber}/materials/${res.body.materialId}/content`;
      const as = async (user: string) => (await fetch(url, { headers: { authorization: `Bearer ${tokens[user]}` } })).status;
      expect(await as(USERS.zhangsan)).toBe(200);
      expect(await as(USERS.lisi)).toBe(403);
      expect(await as(USERS.otherClerk)).toBe(403);
      expect((await fetch(url)).status).toBe(401);
    });
  });
});
