import type { DocumentType } from './content-type';

// A file name the user sent is only ever a label: stored in a column, shown, offered back on download. It never
// becomes a path (objects are named by their hash). Names that are tricks anyway (paths, NUL, control and bidi
// characters, Windows device names, overlong) are refused with the rule they break, so the applicant can rename the file.

export type FileNameRule =
  | 'empty'
  | 'illFormed'
  | 'controlCharacter'
  | 'bidiControl'
  | 'pathSeparator'
  | 'dotSegment'
  | 'reservedCharacter'
  | 'reservedName'
  | 'trailingDotOrSpace'
  | 'tooLong';

export type FileNameCheck = { ok: true; name: string } | { ok: false; rule: FileNameRule; message: string };

export const MAX_FILE_NAME_BYTES = 255;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)(\..*)?$/i;

/** C0, DEL and C1 controls (NUL, line breaks, escapes). */
export function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

const refuse = (rule: FileNameRule, message: string): FileNameCheck => ({ ok: false, rule, message });

/** Checks and normalises (NFC) a file name as sent; see the rules above. */
export function checkFileName(raw: string): FileNameCheck {
  if (LONE_SURROGATE.test(raw)) return refuse('illFormed', 'The file name is not well-formed Unicode.');
  const name = raw.normalize('NFC');
  if (name.trim() === '') return refuse('empty', 'The file name is empty.');
  if (hasControlCharacter(name)) return refuse('controlCharacter', 'The file name contains a control character (such as NUL or a line break).');
  if (/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(name)) {
    return refuse(
      'bidiControl',
      'The file name contains a bidirectional control character (such as RIGHT-TO-LEFT OVERRIDE), which can disguise its extension.',
    );
  }
  if (/[/\\]/.test(name)) return refuse('pathSeparator', 'The file name contains a path ("/" or "\\"); send the name of the file alone.');
  if (name === '.' || name === '..') return refuse('dotSegment', 'The file name is a directory reference (".", "..").');
  if (/[<>:"|?*]/.test(name)) return refuse('reservedCharacter', 'The file name contains one of < > : " | ? *.');
  if (/[. ]$/.test(name)) return refuse('trailingDotOrSpace', 'The file name ends with a dot or a space.');
  if (WINDOWS_DEVICES.test(name.trim()))
    return refuse('reservedName', 'The file name is a reserved device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9).');
  if (Buffer.byteLength(name, 'utf8') > MAX_FILE_NAME_BYTES) return refuse('tooLong', `The file name is longer than ${MAX_FILE_NAME_BYTES} bytes in UTF-8.`);
  return { ok: true, name };
}

const EXTENSIONS: Record<DocumentType, string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/tiff': ['tif', 'tiff'],
  'application/ofd': ['ofd'],
};

/** The name offered on download: the stored name, with the detected type's extension appended if it lacks it. */
export function downloadName(name: string, type: DocumentType): string {
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  return ext !== undefined && EXTENSIONS[type].includes(ext) ? name : `${name}.${EXTENSIONS[type][0]}`;
}

/**
 * A `Content-Disposition: attachment` value that is safe for any name: an ASCII fallback (`filename=`, anything
 * outside printable ASCII or a quote/backslash/percent replaced by `_`) and the exact name in RFC 5987 `filename*=`.
 */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
