import { readFileSync } from 'node:fs';
import fontkit, { type Font } from '@pdf-lib/fontkit';
import { dirname, join } from 'node:path';
import { woffToSfnt } from './woff';

/**
 * The parsed font program of an SFNT buffer, one per buffer for the buffer's life. The font source hands out one
 * buffer per slice, so measuring text (advance widths) and embedding it (pdf-lib's fontkit.create, see notice-pdf.ts)
 * share one parse instead of holding two copies of every slice's tables and glyph caches.
 */
const parsedFonts = new WeakMap<Uint8Array, Font>();
export function parsedFont(data: Uint8Array): Font {
  let font = parsedFonts.get(data);
  if (!font) {
    font = fontkit.create(data);
    parsedFonts.set(data, font);
  }
  return font;
}

/** One file of a web font split by unicode-range (fontsource ships CJK fonts as ~100 such subsets). */
export interface FontSlice {
  /** A stable name for the slice, used as the embedded font's name (no random suffix: deterministic PDFs). */
  name: string;
  file: string;
  ranges: Array<[number, number]>;
}

/**
 * A CJK font from an npm package of the fontsource layout (`<weight>.css` naming `files/*.woff` per unicode-range).
 * The font comes from the project's own install; nothing is fetched and no system font is used.
 */
export class CjkFontSource {
  private readonly bytes = new Map<string, Buffer>();
  private readonly advances = new Map<string, number>();
  private readonly sliceOf = new Map<number, FontSlice | undefined>();

  private constructor(
    readonly family: string,
    readonly slices: FontSlice[],
  ) {}

  /** Reads `<pkg>/<weight>.css`, e.g. `@fontsource/noto-sans-sc` weight 400. */
  static fromPackage(pkg: string, weight: number): CjkFontSource {
    const root = dirname(require.resolve(`${pkg}/package.json`));
    const css = readFileSync(join(root, `${weight}.css`), 'utf8');
    const slices: FontSlice[] = [];
    let family = pkg;
    for (const face of css.matchAll(/@font-face\s*{([^}]*)}/g)) {
      const body = face[1];
      const src = /url\(\s*['"]?([^'")]+\.woff)['"]?\s*\)\s*format\(\s*['"]?woff['"]?\s*\)/.exec(body);
      if (!src) continue;
      family = /font-family:\s*['"]?([^;'"]+)/.exec(body)?.[1] ?? family;
      const ranges = parseUnicodeRange(/unicode-range:\s*([^;]+)/.exec(body)?.[1] ?? 'U+0-10FFFF');
      const file = join(root, src[1]);
      slices.push({ name: file.replace(/^.*\//, '').replace(/\.woff$/, ''), file, ranges });
    }
    if (slices.length === 0) throw new Error(`${pkg}/${weight}.css names no WOFF font files`);
    return new CjkFontSource(family, slices);
  }

  /** The slice that has a glyph for this code point, if any. */
  sliceFor(codePoint: number): FontSlice | undefined {
    if (this.sliceOf.has(codePoint)) return this.sliceOf.get(codePoint);
    const slice = this.slices.find((s) => s.ranges.some(([lo, hi]) => codePoint >= lo && codePoint <= hi));
    this.sliceOf.set(codePoint, slice);
    return slice;
  }

  /** Advance width of a character in em (1 = the font size), from the slice that has it; measured once per character. */
  advance(ch: string): number {
    let a = this.advances.get(ch);
    if (a === undefined) {
      const cp = ch.codePointAt(0) ?? 0x3f;
      const slice = this.sliceFor(cp) ?? this.sliceFor(0x25a1) ?? this.slices[0];
      const font = parsedFont(this.sfnt(slice));
      a = font.glyphForCodePoint(this.sliceFor(cp) ? cp : 0x25a1).advanceWidth / font.unitsPerEm;
      this.advances.set(ch, a);
    }
    return a;
  }

  /** The slice's SFNT bytes (read and unwrapped once). */
  sfnt(slice: FontSlice): Buffer {
    let b = this.bytes.get(slice.file);
    if (!b) {
      b = woffToSfnt(readFileSync(slice.file));
      this.bytes.set(slice.file, b);
    }
    return b;
  }
}

/** `U+4E00-9FFF, U+3000, U+1F1E?` style lists. */
export function parseUnicodeRange(value: string): Array<[number, number]> {
  return value
    .split(',')
    .map((part) => part.trim().replace(/^U\+/i, ''))
    .filter(Boolean)
    .map((part): [number, number] => {
      if (part.includes('?')) return [parseInt(part.replace(/\?/g, '0'), 16), parseInt(part.replace(/\?/g, 'F'), 16)];
      const [lo, hi] = part.split('-');
      return [parseInt(lo, 16), parseInt(hi ?? lo, 16)];
    });
}
