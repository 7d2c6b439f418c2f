import { randomBytes } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';

// Small real files of each accepted type and the attacks the inspection refuses, for unit and integration tests.

export const fixtures = {
  /** A one-page PDF (`text` in a comment, so each text gives other bytes). */
  pdf(text = 'material'): Buffer {
    return Buffer.from(
      `%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n% ${text}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
      'latin1',
    );
  },
  png(): Buffer {
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
    ]);
  },
  jpeg(): Buffer {
    return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0', 'latin1'), Buffer.alloc(32, 1), Buffer.from([0xff, 0xd9])]);
  },
  tiff(): Buffer {
    return Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]), Buffer.alloc(16)]);
  },
  /** A minimal OFD package (GB/T 33190): OFD.xml at the root and one document of one page. */
  ofd(extra: Record<string, Uint8Array> = {}): Buffer {
    return Buffer.from(
      zipSync({
        'OFD.xml': strToU8(
          '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
        ),
        'Doc_0/Document.xml': strToU8(
          '<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
        ),
        ...extra,
      }),
    );
  },
  /** A Windows executable, whatever it is called. */
  exe(): Buffer {
    return Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(62), Buffer.from('This program cannot be run in DOS mode.', 'latin1')]);
  },
  html(): Buffer {
    return Buffer.from('<html><script>alert(1)</script></html>', 'utf8');
  },
  /** A zip of a real document, but not an OFD. */
  plainZip(): Buffer {
    return Buffer.from(zipSync({ 'readme.txt': strToU8('hello') }));
  },
  /** An OFD-shaped zip with one entry of `megabytes` of zeros: a compression ratio near 1000. */
  zipBomb(megabytes = 20): Buffer {
    return fixtures.ofd({ 'Doc_0/Res/big.xml': new Uint8Array(megabytes * 1024 * 1024) });
  },
  /** An OFD whose entry holds more bytes than its headers declare. */
  lyingZip(): Buffer {
    const data = strToU8(randomBytes(32 * 1024).toString('hex'));
    const zip = fixtures.ofd({ 'Doc_0/Res/data.xml': data });
    return patchDeclaredSize(zip, 'Doc_0/Res/data.xml', Math.floor(data.length / 2));
  },
  /** An OFD with another archive inside, by name or by content. */
  nestedZip(byName: boolean): Buffer {
    const inner = zipSync({ 'x.txt': strToU8(randomBytes(64).toString('hex')) }, { level: 0 });
    return fixtures.ofd({ [byName ? 'Doc_0/Res/inner.zip' : 'Doc_0/Res/image.bin']: inner });
  },
  /** An OFD with an entry that would escape an extraction directory. */
  zipSlip(): Buffer {
    return fixtures.ofd({ '../../etc/cron.d/evil': strToU8('* * * * * root sh') });
  },
};

/** Sets the declared uncompressed size of one entry in the central directory and its local header. */
export function patchDeclaredSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  for (let i = 0; i + 46 <= out.length; i++) {
    if (out.readUInt32LE(i) !== 0x02014b50) continue;
    const nameLength = out.readUInt16LE(i + 28);
    if (out.subarray(i + 46, i + 46 + nameLength).toString('utf8') !== name) continue;
    out.writeUInt32LE(size, i + 24);
    out.writeUInt32LE(size, out.readUInt32LE(i + 42) + 22);
    return out;
  }
  throw new Error(`no entry ${name}`);
}
