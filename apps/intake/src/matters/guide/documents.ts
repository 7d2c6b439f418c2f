import { strToU8, zipSync } from 'fflate';

// Small, real documents for the public guide: material templates, the commitment letter and printable application
// forms, generated from text (no binary files in the repository). A PDF uses the predefined Adobe-GB1 CJK font
// STSong-Light with the UniGB-UCS2-H CMap (PDF 1.7 §9.7.5.2), which every conforming reader provides, so the file
// stays a few kilobytes; a DOCX is a minimal WordprocessingML package (ECMA-376) zipped with fflate.

export interface DocumentText {
  title: string;
  paragraphs: readonly string[];
}

export const PDF_TYPE = 'application/pdf';
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const PAGE = { width: 595, height: 842, margin: 56 };

function ucs2Hex(text: string): string {
  let hex = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0x3f;
    // Outside the BMP there is no UCS-2 code: a full-width question mark stands in.
    hex += (cp > 0xffff ? 0xff1f : cp).toString(16).padStart(4, '0');
  }
  return hex;
}

/** Wraps text to lines of at most `width` em (CJK characters 1 em, Latin ones half). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const ch of text) {
    const w = (ch.codePointAt(0) ?? 0) < 0x2e80 ? 0.5 : 1;
    if (used + w > width) {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += ch;
    used += w;
  }
  lines.push(line);
  return lines;
}

/** A PDF of the title and paragraphs, A4, as many pages as it needs. */
export function pdfDocument(doc: DocumentText): Buffer {
  const bodySize = 11;
  const titleSize = 16;
  const lead = bodySize * 1.6;
  const width = (PAGE.width - 2 * PAGE.margin) / bodySize;
  const pages: string[][] = [[]];
  let y = PAGE.height - PAGE.margin - titleSize;
  const titleLines = wrap(doc.title, (PAGE.width - 2 * PAGE.margin) / titleSize);
  for (const l of titleLines) {
    pages[0].push(`BT /F1 ${titleSize} Tf ${PAGE.margin} ${y.toFixed(1)} Td <${ucs2Hex(l)}> Tj ET`);
    y -= titleSize * 1.6;
  }
  y -= lead / 2;
  for (const paragraph of doc.paragraphs) {
    for (const l of wrap(paragraph, width)) {
      if (y < PAGE.margin) {
        pages.push([]);
        y = PAGE.height - PAGE.margin - bodySize;
      }
      pages[pages.length - 1].push(`BT /F1 ${bodySize} Tf ${PAGE.margin} ${y.toFixed(1)} Td <${ucs2Hex(l)}> Tj ET`);
      y -= lead;
    }
    y -= lead / 3;
  }
  // Objects: 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor, then a page and its content per page.
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 6 + 2 * i);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>';
  objects[4] = '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 5 0 R /DW 1000 >>';
  objects[5] = '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>';
  pages.forEach((ops, i) => {
    const content = ops.join('\n');
    objects[pageIds[i]] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageIds[i] + 1} 0 R >>`;
    objects[pageIds[i] + 1] = `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
  });
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(out, 'latin1');
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info << /Producer (gov intake guide) >> >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function xmlText(s: string): string {
  // Characters XML 1.0 cannot carry are dropped; the rest escaped.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A DOCX of the title (bold, centred) and paragraphs; fonts are the reader's (宋体 suggested for East Asian text). */
export function docxDocument(doc: DocumentText): Buffer {
  const run = (text: string, props = '') => `<w:r><w:rPr><w:rFonts w:eastAsia="宋体"/>${props}</w:rPr><w:t xml:space="preserve">${xmlText(text)}</w:t></w:r>`;
  const body = [
    `<w:p><w:pPr><w:jc w:val="center"/></w:pPr>${run(doc.title, '<w:b/><w:sz w:val="36"/>')}</w:p>`,
    ...doc.paragraphs.map((p) => `<w:p>${run(p, '<w:sz w:val="24"/>')}</w:p>`),
  ].join('');
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '</Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
        '</Relationships>',
    ),
    'word/document.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr></w:body></w:document>`,
    ),
  };
  // A fixed timestamp: the same text always gives the same bytes (cacheable, hashable).
  return Buffer.from(zipSync(files, { mtime: new Date('2026-01-01T00:00:00Z'), level: 6 }));
}
