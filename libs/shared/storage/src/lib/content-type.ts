import { open } from 'node:fs/promises';
import { type ZipLimits, inspectZip } from './zip-inspector';

/** The document types the platform accepts as materials, all detected by content. */
export const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'application/ofd'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export type Detection =
  | { ok: true; type: DocumentType; label: string }
  /** Not an accepted document: what the bytes look like (`found`), in words a person reads. */
  | { ok: false; reason: 'unrecognised' | 'archive'; found: string; message: string };

interface Signature {
  found: string;
  test: (b: Buffer) => boolean;
}

const starts = (b: Buffer, bytes: number[], at = 0) => b.length >= at + bytes.length && bytes.every((x, i) => b[at + i] === x);

// Known types that are not documents, so a disguised file is refused naming what it really is.
const OTHERS: Signature[] = [
  { found: 'a Windows executable (MZ)', test: (b) => starts(b, [0x4d, 0x5a]) },
  { found: 'an ELF executable', test: (b) => starts(b, [0x7f, 0x45, 0x4c, 0x46]) },
  { found: 'a Mach-O executable', test: (b) => starts(b, [0xcf, 0xfa, 0xed, 0xfe]) || starts(b, [0xfe, 0xed, 0xfa, 0xcf]) },
  { found: 'a shell script', test: (b) => starts(b, [0x23, 0x21]) },
  { found: 'a GIF image', test: (b) => starts(b, [0x47, 0x49, 0x46, 0x38]) },
  { found: 'a RAR archive', test: (b) => starts(b, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]) },
  { found: 'a 7-Zip archive', test: (b) => starts(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) },
  { found: 'a gzip archive', test: (b) => starts(b, [0x1f, 0x8b]) },
  { found: 'an OLE2 (old Office) document', test: (b) => starts(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) },
  { found: 'an RTF document', test: (b) => starts(b, [0x7b, 0x5c, 0x72, 0x74, 0x66]) },
  { found: 'a WebP or RIFF file', test: (b) => starts(b, [0x52, 0x49, 0x46, 0x46]) },
  { found: 'HTML or XML text', test: (b) => /^\s*</.test(b.subarray(0, 64).toString('latin1')) },
];

/** The type of the first bytes, if they are one of the documents (a zip is only an OFD after `inspectZip`). */
export function sniff(head: Buffer): DocumentType | 'zip' | undefined {
  if (starts(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (starts(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts(head, [0x49, 0x49, 0x2a, 0x00]) || starts(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (starts(head, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  return undefined;
}

const LABELS: Record<DocumentType, string> = {
  'application/pdf': 'a PDF document',
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
  'image/tiff': 'a TIFF image',
  'application/ofd': 'an OFD document',
};

export function labelOf(type: DocumentType): string {
  return LABELS[type];
}

/**
 * What a staged file really is, from its bytes alone (never its name or declared type). A zip is an OFD only if it
 * passes `inspectZip` (bounded entries, sizes and ratios, no nesting, no path tricks) and has OFD.xml at its root.
 */
export async function detectContentType(path: string, zipLimits: ZipLimits): Promise<Detection> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(64);
    const { bytesRead } = await handle.read(buffer, 0, 64, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const type = sniff(head);
  if (type === undefined) {
    const found = OTHERS.find((s) => s.test(head))?.found ?? (head.length === 0 ? 'an empty file' : 'no known document format');
    return { ok: false, reason: 'unrecognised', found, message: `The file's content is ${found}, not a PDF, JPEG, PNG, TIFF or OFD document.` };
  }
  if (type !== 'zip') return { ok: true, type, label: LABELS[type] };
  const zip = await inspectZip(path, zipLimits);
  if (!zip.ok) return { ok: false, reason: 'archive', found: 'a zip archive', message: zip.message };
  if (!zip.entries.some((e) => e.name === 'OFD.xml')) {
    return {
      ok: false,
      reason: 'unrecognised',
      found: 'a zip archive',
      message: "The file's content is a zip archive without OFD.xml at its root, not an OFD document.",
    };
  }
  return { ok: true, type: 'application/ofd', label: LABELS['application/ofd'] };
}
