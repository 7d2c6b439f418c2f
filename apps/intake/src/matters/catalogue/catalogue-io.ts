import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { MatterElements } from '../matter-version';

// The catalogue as a file (import and export), JSON or CSV.
//
// JSON: { "format": "gov.intake.catalogue/1", "matters": [ { "code", "tenantId", "elements": { ...every element }, "note"? } ] }
// (an export adds "version" and "exportedAt"; an import ignores them). Rows are numbered by their position in
// `matters`, from 1.
//
// CSV (RFC 4180, UTF-8, a header line, one row per matter; lines are numbered from the header = line 1): the scalar
// elements are columns of their own, lists of codes are joined with ";", and the nested elements are JSON in their
// column (see CSV_COLUMNS). An empty cell is null (or an empty list) where the element allows it. `reportsTo` (上报件:
// `{"tenantId","departmentCode","departmentName"}`, JSON), `coReviewers` (并联审批: `[{"departmentCode","departmentName"}]`,
// JSON; empty is none) and `note` may be left out of the header.

export const CATALOGUE_FORMAT = 'gov.intake.catalogue/1';

export interface CatalogueEntry {
  code: string;
  tenantId: string;
  version?: number;
  elements: MatterElements;
}

/** One row of an import file: its line (CSV) or position (JSON), what it says, or why it cannot be read. */
export interface ImportRow {
  line: number;
  code: string | null;
  tenantId: string | null;
  elements: unknown;
  note: string;
  problem: { field: string; message: string } | null;
}

type Kind = 'text' | 'nullableText' | 'int' | 'nullableInt' | 'bool' | 'list' | 'json' | 'nullableJson';

/** The CSV columns: the element (or entry field) each holds and how it is written. */
export const CSV_COLUMNS: ReadonlyArray<{ column: string; kind: Kind }> = [
  { column: 'code', kind: 'text' },
  { column: 'tenantId', kind: 'text' },
  { column: 'name', kind: 'text' },
  { column: 'kind', kind: 'text' },
  { column: 'category', kind: 'text' },
  { column: 'departmentCode', kind: 'text' },
  { column: 'departmentName', kind: 'nullableText' },
  { column: 'levels', kind: 'list' },
  { column: 'delegatedTo', kind: 'nullableText' },
  { column: 'reportsUpTo', kind: 'nullableText' },
  { column: 'reportsTo', kind: 'nullableJson' },
  { column: 'coReviewers', kind: 'json' },
  { column: 'legalBasis', kind: 'json' },
  { column: 'conditions', kind: 'json' },
  { column: 'materials', kind: 'json' },
  { column: 'statutoryWorkingDays', kind: 'int' },
  { column: 'promisedWorkingDays', kind: 'int' },
  { column: 'stepLimits', kind: 'json' },
  { column: 'fees', kind: 'json' },
  { column: 'formSchema', kind: 'json' },
  { column: 'resultName', kind: 'text' },
  { column: 'resultValidityMonths', kind: 'nullableInt' },
  { column: 'resultAnnualInspection', kind: 'bool' },
  { column: 'consultation', kind: 'text' },
  { column: 'complaint', kind: 'text' },
  { column: 'onlineClass', kind: 'text' },
  { column: 'onlineLaterReason', kind: 'nullableText' },
  { column: 'onlineFrom', kind: 'nullableText' },
  { column: 'secret', kind: 'bool' },
  { column: 'commitment', kind: 'nullableJson' },
  { column: 'bundle', kind: 'list' },
  { column: 'processKey', kind: 'text' },
  { column: 'note', kind: 'text' },
];

/**
 * Columns a file may leave out: the note, reportsTo (added with 上报件) and coReviewers (added with 并联审批); files
 * written before them have none.
 */
const OPTIONAL_COLUMNS = new Set(['note', 'reportsTo', 'coReviewers']);

const RESULT_COLUMNS: Record<string, 'name' | 'validityMonths' | 'annualInspection'> = { resultName: 'name', resultValidityMonths: 'validityMonths', resultAnnualInspection: 'annualInspection' };

function cell(kind: Kind, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (kind) {
    case 'text':
    case 'nullableText':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'int':
    case 'nullableInt':
      return typeof value === 'number' ? String(value) : JSON.stringify(value);
    case 'bool':
      return value === true ? 'true' : 'false';
    case 'list':
      return (value as string[]).join(';');
    case 'json':
    case 'nullableJson':
      return JSON.stringify(value);
  }
}

export function exportJson(entries: readonly CatalogueEntry[], exportedAt: Date): string {
  return JSON.stringify({ format: CATALOGUE_FORMAT, exportedAt: exportedAt.toISOString(), matters: entries.map((e) => ({ code: e.code, tenantId: e.tenantId, version: e.version, elements: e.elements })) }, null, 2);
}

/** The catalogue as CSV, with a UTF-8 byte order mark so spreadsheet programs read the Chinese text right. */
export function exportCsv(entries: readonly CatalogueEntry[]): string {
  const rows = entries.map((e) =>
    CSV_COLUMNS.map(({ column, kind }) => {
      if (column === 'code') return e.code;
      if (column === 'tenantId') return e.tenantId;
      if (column === 'note') return '';
      const r = RESULT_COLUMNS[column];
      const value = r ? e.elements.result[r] : (e.elements as unknown as Record<string, unknown>)[column];
      return cell(kind, value);
    }),
  );
  return `\ufeff${stringify([CSV_COLUMNS.map((c) => c.column), ...rows], { record_delimiter: '\r\n' })}`;
}

function fromCell(column: string, kind: Kind, raw: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const text = raw.trim();
  switch (kind) {
    case 'text':
      return { ok: true, value: raw };
    case 'nullableText':
      return { ok: true, value: text === '' ? null : raw };
    case 'int':
    case 'nullableInt':
      if (text === '' && kind === 'nullableInt') return { ok: true, value: null };
      if (!/^-?\d{1,9}$/.test(text)) return { ok: false, message: `${column} must be a whole number` };
      return { ok: true, value: Number(text) };
    case 'bool':
      if (text === '') return { ok: true, value: false };
      if (text !== 'true' && text !== 'false') return { ok: false, message: `${column} must be true or false` };
      return { ok: true, value: text === 'true' };
    case 'list':
      return { ok: true, value: text === '' ? [] : text.split(';').map((s) => s.trim()) };
    case 'json':
    case 'nullableJson':
      if (text === '') return { ok: true, value: kind === 'nullableJson' ? null : undefined };
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch (e) {
        return { ok: false, message: `${column} must be JSON: ${e instanceof Error ? e.message.slice(0, 120) : 'invalid'}` };
      }
  }
}

/** The line a CSV record starts on, from the line it ends on and its raw text (blank lines before it skipped). */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/\r?\n$/, '').replace(/^(\r?\n)+/, '');
  return endLine - (body.match(/\n/g)?.length ?? 0);
}

export class CsvUnreadable extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads a CSV catalogue into rows; the whole file is refused only when it is not CSV at all (a quote never closed). */
export function readCsv(text: string): ImportRow[] {
  let records: Array<{ record: string[]; info: { lines: number }; raw: string }>;
  try {
    records = parse(text, { bom: true, info: true, raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (e) {
    const line = typeof (e as { lines?: unknown }).lines === 'number' ? (e as { lines: number }).lines : 1;
    throw new CsvUnreadable(line, e instanceof Error ? e.message.slice(0, 200) : 'not CSV');
  }
  if (records.length === 0) throw new CsvUnreadable(1, 'the file is empty: a header line is expected');
  const header = records[0].record.map((h) => h.trim());
  const missing = CSV_COLUMNS.filter((c) => !OPTIONAL_COLUMNS.has(c.column) && !header.includes(c.column)).map((c) => c.column);
  const unknown = header.filter((h) => !CSV_COLUMNS.some((c) => c.column === h));
  if (missing.length > 0 || unknown.length > 0) {
    throw new CsvUnreadable(1, [missing.length > 0 ? `missing columns: ${missing.join(', ')}` : '', unknown.length > 0 ? `unknown columns: ${unknown.join(', ')}` : ''].filter(Boolean).join('; '));
  }
  if (new Set(header).size !== header.length) throw new CsvUnreadable(1, 'a column appears twice in the header');
  return records.slice(1).map(({ record, info, raw }) => {
    const line = startLine(info.lines, raw);
    const row: ImportRow = { line, code: null, tenantId: null, elements: null, note: '', problem: null };
    if (record.length !== header.length) {
      row.problem = { field: 'row', message: `the row has ${record.length} cells; the header has ${header.length}` };
      return row;
    }
    const elements: Record<string, unknown> = {};
    const result: Record<string, unknown> = {};
    for (const [i, column] of header.entries()) {
      const spec = CSV_COLUMNS.find((c) => c.column === column);
      if (!spec) continue;
      const v = fromCell(column, spec.kind, record[i]);
      if (!v.ok) {
        row.problem = { field: column, message: v.message };
        return row;
      }
      if (column === 'code') row.code = String(v.value).trim();
      else if (column === 'tenantId') row.tenantId = String(v.value).trim();
      else if (column === 'note') row.note = String(v.value);
      else if (RESULT_COLUMNS[column]) result[RESULT_COLUMNS[column]] = v.value;
      else if (v.value !== undefined) elements[column] = v.value;
    }
    row.elements = { ...elements, result };
    return row;
  });
}

/** Reads a JSON catalogue (already parsed) into rows, numbered by position in `matters`. */
export function readJson(body: unknown): ImportRow[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new CsvUnreadable(0, 'the body must be an object { format, matters: [...] }');
  const b = body as Record<string, unknown>;
  if (b['format'] !== undefined && b['format'] !== CATALOGUE_FORMAT) throw new CsvUnreadable(0, `format must be ${CATALOGUE_FORMAT}`);
  if (!Array.isArray(b['matters'])) throw new CsvUnreadable(0, 'matters must be an array of { code, tenantId, elements }');
  return (b['matters'] as unknown[]).map((m, i) => {
    const row: ImportRow = { line: i + 1, code: null, tenantId: null, elements: null, note: '', problem: null };
    if (typeof m !== 'object' || m === null || Array.isArray(m)) {
      row.problem = { field: 'row', message: 'each entry must be an object { code, tenantId, elements }' };
      return row;
    }
    const e = m as Record<string, unknown>;
    const extra = Object.keys(e).filter((k) => !['code', 'tenantId', 'version', 'elements', 'note'].includes(k));
    if (extra.length > 0) row.problem = { field: extra[0], message: `${extra[0]} is not a field of a catalogue entry (code, tenantId, elements, note)` };
    row.code = typeof e['code'] === 'string' ? e['code'] : null;
    row.tenantId = typeof e['tenantId'] === 'string' ? e['tenantId'] : null;
    row.elements = e['elements'];
    if (e['note'] !== undefined && typeof e['note'] !== 'string') row.problem = { field: 'note', message: 'note must be a string' };
    row.note = typeof e['note'] === 'string' ? e['note'].slice(0, 2000) : '';
    return row;
  });
}
