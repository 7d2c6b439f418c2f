import { DEMO_MATTERS } from '../../seed/demo-data';
import { MatterElementsSchema } from '../matter-version';
import { CsvUnreadable, exportCsv, readCsv, readJson } from './catalogue-io';

const entries = DEMO_MATTERS.map((m) => ({ code: m.code, tenantId: m.tenantId, version: 1, elements: MatterElementsSchema.parse(m.elements) }));

describe('catalogue files', () => {
  it('reads back every element of an exported CSV, with the line each row starts on', () => {
    // given
    const csv = exportCsv(entries);
    // when
    const rows = readCsv(csv);
    // then
    expect(rows.map((r) => r.problem)).toEqual(entries.map(() => null));
    expect(rows.map((r) => MatterElementsSchema.parse(r.elements))).toEqual(entries.map((e) => e.elements));
    expect(rows.map((r) => [r.code, r.tenantId])).toEqual(entries.map((e) => [e.code, e.tenantId]));
    // every exported row is one line (JSON cells have no raw newlines), after the header
    expect(rows.map((r) => r.line)).toEqual(entries.map((_, i) => i + 2));
  });

  it('numbers a row spread over several lines by the line it starts on, and skips blank lines', () => {
    // given a header, a blank line, a row whose note spans two lines, and a row with a cell too many
    const header = exportCsv([]).replace(/^\ufeff/, '').trimEnd();
    const one = exportCsv([entries[0]]).split('\r\n')[1];
    const text = `${header}\r\n\r\n${one.replace(/,$/, ',"two\nlines"')}\r\n${one},extra\r\n`;
    // when
    const rows = readCsv(text);
    // then
    expect(rows.map((r) => r.line)).toEqual([3, 5]);
    expect(rows[0].note).toBe('two\nlines');
    expect(rows[1].problem).toMatchObject({ field: 'row' });
  });

  it('names the column of a cell it cannot read', () => {
    const header = exportCsv([]).replace(/^\ufeff/, '').trimEnd();
    const one = exportCsv([entries[0]]).split('\r\n')[1];
    const badJson = one.replace('[""《中华人民共和国食品安全法》', '[broken""《中华人民共和国食品安全法》');
    expect(badJson).not.toBe(one);
    expect(readCsv(`${header}\n${badJson}\n`)[0].problem).toMatchObject({ field: 'legalBasis', message: expect.stringMatching(/^legalBasis must be JSON/) });
    const badInt = one.replace(/,20,7,/, ',twenty,7,');
    expect(readCsv(`${header}\n${badInt}\n`)[0].problem).toEqual({ field: 'statutoryWorkingDays', message: 'statutoryWorkingDays must be a whole number' });
  });

  it('refuses a file that is not a catalogue at all', () => {
    expect(() => readCsv('')).toThrow(CsvUnreadable);
    expect(() => readCsv('code,name\nA,B\n')).toThrow(/missing columns/);
    expect(() => readCsv(`${exportCsv([]).trimEnd()}\n"unclosed`)).toThrow(/Quote Not Closed/);
    expect(() => readJson([])).toThrow(CsvUnreadable);
    expect(() => readJson({ format: 'other', matters: [] })).toThrow(/format/);
    expect(readJson({ matters: [1, { code: 'X', tenantId: '449900', elements: {}, extra: 1 }] }).map((r) => r.problem?.field)).toEqual(['row', 'extra']);
  });
});
