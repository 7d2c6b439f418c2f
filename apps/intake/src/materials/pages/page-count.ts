import { readFile } from 'node:fs/promises';

/** What a page count is asked for: a staged file of a type the upload already checked by content. */
export interface PageCountRequest {
  path: string;
  type: 'application/pdf' | 'application/ofd';
}

/** A page count the content did not give: the message says why, for the refusal. */
export class UnreadablePagesError extends Error {}

/** Largest XML entry of an OFD the counter inflates (OFD.xml, a Document.xml); real ones are a few KiB. */
export const OFD_MAX_XML_BYTES = 16 * 1024 * 1024;

/** The pages of a PDF by its page tree (pdf-lib: lenient, it reads objects even past a broken xref table). */
export async function pdfPageCount(bytes: Uint8Array): Promise<number> {
  const { PDFDocument } = await import('pdf-lib');
  let n: number;
  try {
    const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
    n = doc.getPageCount();
  } catch (e) {
    throw new UnreadablePagesError(`its page tree could not be read (${e instanceof Error ? e.message.slice(0, 200) : String(e)})`);
  }
  if (!(n > 0)) throw new UnreadablePagesError('its page tree holds no page');
  return n;
}

const stripComments = (xml: string) => xml.replace(/<!--[\s\S]*?-->/g, '');
const decodeEntities = (s: string) =>
  s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] as string);

/** A package path of a DocRoot (GB/T 33190 7.4: relative to the package root, or absolute from it), normalised. */
function packagePath(raw: string, base = ''): string {
  const path = raw.trim().replace(/\\/g, '/');
  const parts = (path.startsWith('/') ? path : base + path).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (out.length === 0) throw new UnreadablePagesError(`its DocRoot ${JSON.stringify(raw.slice(0, 100))} points outside the package`);
      out.pop();
    } else out.push(p);
  }
  return out.join('/');
}

/**
 * The pages of an OFD (GB/T 33190): OFD.xml names each document's root (DocBody/DocRoot), and each Document.xml lists
 * its pages (Pages/Page). A package of several documents counts the pages of all of them. Only those XML entries are
 * inflated, each at most OFD_MAX_XML_BYTES by its declared size; the upload's zip inspection (detectContentType →
 * inspectZip: bounded entries, totals, ratios, actual sizes checked against declared ones) has passed before the
 * count is asked for, so a declared size is what the entry holds.
 */
export async function ofdPageCount(bytes: Uint8Array): Promise<number> {
  const { unzipSync, strFromU8 } = await import('fflate');
  const read = (names: string[]): Record<string, string> => {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(bytes, {
        filter: (f) => {
          if (!names.includes(f.name)) return false;
          if (f.originalSize > OFD_MAX_XML_BYTES) throw new UnreadablePagesError(`its entry ${f.name} is larger than ${OFD_MAX_XML_BYTES} bytes`);
          return true;
        },
      });
    } catch (e) {
      if (e instanceof UnreadablePagesError) throw e;
      throw new UnreadablePagesError(`the package could not be unzipped (${e instanceof Error ? e.message : String(e)})`);
    }
    return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, stripComments(strFromU8(v))]));
  };
  const ofd = read(['OFD.xml'])['OFD.xml'];
  if (ofd === undefined) throw new UnreadablePagesError('it has no OFD.xml');
  const roots = [...ofd.matchAll(/<(?:[\w.-]+:)?DocRoot\s*>([^<]*)<\/(?:[\w.-]+:)?DocRoot\s*>/g)].map((m) => packagePath(decodeEntities(m[1])));
  if (roots.length === 0) throw new UnreadablePagesError('its OFD.xml names no document (DocBody/DocRoot)');
  const documents = read(roots);
  let pages = 0;
  for (const root of roots) {
    const xml = documents[root];
    if (xml === undefined) throw new UnreadablePagesError(`its document ${JSON.stringify(root.slice(0, 100))} is missing`);
    const list = /<(?:[\w.-]+:)?Pages\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?Pages\s*>/.exec(xml);
    pages += list ? [...list[1].matchAll(/<(?:[\w.-]+:)?Page\b/g)].length : 0;
  }
  if (pages === 0) throw new UnreadablePagesError('its documents list no page (Pages/Page)');
  return pages;
}

/** The page count of a staged PDF or OFD, or UnreadablePagesError. */
export async function countPages(request: PageCountRequest): Promise<number> {
  const bytes = await readFile(request.path);
  return request.type === 'application/pdf' ? pdfPageCount(bytes) : ofdPageCount(bytes);
}
