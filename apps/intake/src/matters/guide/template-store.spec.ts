import { strToU8, zipSync } from 'fflate';
import { DOCX_TYPE, PDF_TYPE, docxDocument, pdfDocument } from './documents';
import { sniffTemplate } from './template-store';

describe('template content check', () => {
  it('tells PDF and DOCX by content', () => {
    expect(sniffTemplate(pdfDocument({ title: 't', paragraphs: [] }))).toBe(PDF_TYPE);
    expect(sniffTemplate(docxDocument({ title: 't', paragraphs: [] }))).toBe(DOCX_TYPE);
    expect(sniffTemplate(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffTemplate(Buffer.from(zipSync({ 'a.txt': strToU8('x') })))).toBeNull();
  });

  it('lists an archive without inflating it, so an archive bomb costs nothing', () => {
    // given a DOCX-shaped archive whose document part is a deflate stream that cannot be inflated (its bytes overwritten)
    const zip = Buffer.from(zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8('x'.repeat(100_000)) }, { level: 9 }));
    const header = zip.indexOf(Buffer.from('word/document.xml', 'latin1')) - 30; // the local header comes first
    expect(zip.readUInt32LE(header)).toBe(0x04034b50);
    const dataAt = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
    zip.fill(0xff, dataAt, dataAt + 16);
    // when
    const type = sniffTemplate(zip);
    // then it is recognised by its parts' names: had any part been inflated, the broken stream would have failed it
    expect(type).toBe(DOCX_TYPE);
  });
});
