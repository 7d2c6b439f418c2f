import { strFromU8, unzipSync } from 'fflate';
import { docxDocument, pdfDocument } from './documents';
import { TEMPLATE_TEXTS, templateFile } from './templates';

function ucs2Hex(text: string): string {
  return [...text].map((c) => (c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')).join('');
}

describe('guide documents', () => {
  it('makes a PDF whose cross-reference table points at every object, with the Chinese text in the CJK font', () => {
    // when
    const pdf = pdfDocument({ title: '告知承诺书', paragraphs: ['申请人承诺所提交的材料真实、有效。', 'x'.repeat(10000)] });
    const text = pdf.toString('latin1');
    // then
    expect(text.startsWith('%PDF-1.7')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(text).toContain('/BaseFont /STSong-Light /Encoding /UniGB-UCS2-H');
    expect(text).toContain(`<${ucs2Hex('告知承诺书')}>`);
    const xrefAt = Number(/startxref\n(\d+)\n%%EOF/.exec(text)?.[1]);
    expect(text.slice(xrefAt, xrefAt + 4)).toBe('xref');
    const entries = [...text.slice(xrefAt).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(entries.length).toBeGreaterThan(6);
    entries.forEach((offset, i) => expect(text.slice(offset, offset + 12)).toMatch(new RegExp(`^${i + 1} 0 obj`)));
    // a long text runs over more than one page
    expect(Number(/\/Count (\d+)/.exec(text)?.[1])).toBeGreaterThan(1);
  });

  it('makes a DOCX package with content types, relationships and the text', () => {
    // when
    const files = unzipSync(new Uint8Array(docxDocument({ title: '授权委托书', paragraphs: ['委托人 & 受托人 <甲>'] })));
    // then
    expect(Object.keys(files).sort()).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
    const xml = strFromU8(files['word/document.xml']);
    expect(xml).toContain('授权委托书');
    expect(xml).toContain('委托人 &amp; 受托人 &lt;甲&gt;');
  });

  it('offers every template by name with the content type of its extension, and nothing else', () => {
    for (const file of Object.keys(TEMPLATE_TEXTS)) {
      const t = templateFile(file);
      expect(t?.contentType).toBe(file.endsWith('.pdf') ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(t?.bytes.subarray(0, 4).toString('latin1')).toBe(file.endsWith('.pdf') ? '%PDF' : 'PK\x03\x04');
    }
    expect(templateFile('constructor')).toBeNull();
    expect(templateFile('__proto__')).toBeNull();
    expect(templateFile('nope.pdf')).toBeNull();
  });
});
