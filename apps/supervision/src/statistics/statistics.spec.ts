import { parse } from 'csv-parse/sync';
import { divisionOfOrg, dimensionKeys, orgOfGroup, regionsOf } from './dimensions';
import { periodKey, periodKeys } from './periods';
import { figuresOf, percentileOf, type RollupCounters } from './rollup-math';
import { type StatisticsLine, toCsv } from './statistics-export';
import { woffToSfnt } from './woff';
import { deflateSync } from 'node:zlib';

describe('statistics periods', () => {
  it('counts by the China Standard Time day: 23:30 CST on 31 Dec is still that day, month, quarter and year', () => {
    // given 2026-12-31 23:30 CST
    const at = new Date('2026-12-31T15:30:00.000Z');
    // when / then
    expect(periodKeys(at)).toEqual([
      { period: 'day', key: '2026-12-31' },
      { period: 'month', key: '2026-12' },
      { period: 'quarter', key: '2026-Q4' },
      { period: 'year', key: '2026' },
    ]);
    expect(periodKey('day', new Date('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01');
  });
});

describe('statistics dimensions', () => {
  it('reads the division from a unified social credit code and places it in city, county and township', () => {
    expect(divisionOfOrg('11449901000000011Q')).toBe('449901');
    expect(divisionOfOrg('not-a-code')).toBeUndefined();
    expect(regionsOf('449901')).toEqual({ city: '449900', county: '449901', township: null });
    expect(regionsOf('449900')).toEqual({ city: '449900', county: null, township: null });
    expect(regionsOf('449901001')).toEqual({ city: '449900', county: '449901', township: '449901001' });
    expect(orgOfGroup('handler:ABC')).toBe('ABC');
    expect(orgOfGroup('nogroup')).toBeUndefined();
  });

  it('attributes a case to its officer and section within the department, and to each region level', () => {
    const keys = dimensionKeys({ officerId: 'u1', sectionCode: 'S', departmentCode: 'D', city: '449900', county: '449901', township: null });
    expect(keys).toEqual([
      { dim: 'officer', key: 'u1', scope: 'D' },
      { dim: 'section', key: 'S', scope: 'S' },
      { dim: 'department', key: 'D', scope: 'D' },
      { dim: 'city', key: '449900', scope: '449900' },
      { dim: 'county', key: '449901', scope: '449901' },
    ]);
  });
});

describe('rollup figures', () => {
  const counters = (over: Partial<RollupCounters>): RollupCounters => ({
    received: 0, accepted: 0, decided: 0, onTime: 0, usedWdSum: 0, statutoryWdSum: 0, promisedWdSum: 0, promisedCount: 0, promisedOnTime: 0,
    usedHist: [], returns: 0, suspensions: 0, reds: 0, yellows: 0, anomalies: 0, complaints: 0, ratings: 0, ratingSum: 0, badRatings: 0, caseReds: 0, caseYellows: 0, consultations: 0, consultationsOverdue: 0, ...over,
  });

  it('takes the nearest-rank 90th percentile from the histogram', () => {
    // given 10 cases: nine used 2 working days, one used 9
    const hist = Array(61).fill(0);
    hist[2] = 9;
    hist[9] = 1;
    // then p90 is 2 and p100 is 9
    expect(percentileOf(hist, 0.9)).toBe(2);
    expect(percentileOf(hist, 1)).toBe(9);
    expect(percentileOf([], 0.9)).toBeNull();
  });

  it('computes on-time rate, averages, 提速率 and satisfaction, and leaves them null with nothing to count', () => {
    // given 4 cases decided in 12 working days against 40 statutory ones, 3 on time; 5 ratings, 1 bad
    const f = figuresOf(counters({ decided: 4, onTime: 3, usedWdSum: 12, statutoryWdSum: 40, ratings: 5, ratingSum: 21, badRatings: 1 }));
    // then
    expect(f).toMatchObject({ onTimeRate: 0.75, avgWorkingDaysUsed: 3, avgStatutoryWorkingDays: 10, speedUpRate: 0.7, avgRating: 4.2, satisfactionRate: 0.8 });
    expect(figuresOf(counters({}))).toMatchObject({ onTimeRate: null, speedUpRate: null, avgRating: null, satisfactionRate: null, p90WorkingDaysUsed: null });
  });
});

describe('CSV export', () => {
  it('writes a BOM, quotes commas and quotes, and defuses cells a spreadsheet would run as formulas', () => {
    // given
    const line = { dimension: 'officer', key: '=HYPERLINK("x"),1', period: 'month', periodKey: '2026-11', speedUpRate: -0.4 } as unknown as StatisticsLine;
    // when
    const csv = toCsv([line]);
    // then
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [row] = parse<Record<string, string>>(csv, { bom: true, columns: true });
    expect(row['对象 key']).toBe(`'=HYPERLINK("x"),1`);
    expect(row['提速率 speedUpRate']).toBe('-0.4');
  });
});

describe('WOFF to SFNT', () => {
  it('inflates compressed tables and lays them out 4-byte aligned with a table directory', () => {
    // given a WOFF with one compressed and one stored table
    const a = Buffer.from('abcdefabcdefabcdefabcdefabcdef');
    const b = Buffer.from('xyz');
    const ca = deflateSync(a);
    const header = Buffer.alloc(44 + 40);
    header.write('wOFF', 0, 'latin1');
    header.writeUInt32BE(0x00010000, 4);
    header.writeUInt16BE(2, 12);
    const offA = header.length;
    const offB = offA + ca.length;
    [['glyf', offA, ca.length, a.length], ['head', offB, b.length, b.length]].forEach(([tag, off, comp, orig], i) => {
      const e = 44 + i * 20;
      header.write(tag as string, e, 'latin1');
      header.writeUInt32BE(off as number, e + 4);
      header.writeUInt32BE(comp as number, e + 8);
      header.writeUInt32BE(orig as number, e + 12);
    });
    // when
    const sfnt = woffToSfnt(Buffer.concat([header, ca, b]));
    // then
    expect(sfnt.readUInt32BE(0)).toBe(0x00010000);
    expect(sfnt.readUInt16BE(4)).toBe(2);
    const glyfOffset = sfnt.readUInt32BE(12 + 8);
    expect(sfnt.subarray(glyfOffset, glyfOffset + a.length)).toEqual(a);
    expect(sfnt.readUInt32BE(12 + 16 + 8) % 4).toBe(0);
    expect(() => woffToSfnt(Buffer.from('OTTO0000'))).toThrow(/not a WOFF/);
  });
});
