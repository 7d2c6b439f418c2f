import { licenceTermsOf } from './decision-documents';

describe('licence terms from the catalogue result', () => {
  it('runs a licence from the decision day (CST) to the corresponding day N months on (民法典 art. 201-202)', () => {
    expect(licenceTermsOf({ name: '食品经营许可证', validityMonths: 60, annualInspection: false }, new Date('2026-12-03T02:00:00Z'))).toEqual({ type: '食品经营许可证', validFrom: '2026-12-03', validTo: '2031-12-03' });
    // decided at 23:30 CST on 31 December: valid from that day
    expect(licenceTermsOf({ name: '建筑工程施工许可证', validityMonths: 3, annualInspection: false }, new Date('2026-12-31T15:30:00Z'))).toEqual({ type: '建筑工程施工许可证', validFrom: '2026-12-31', validTo: '2027-03-31' });
  });

  it('ends a licence on the last day of its last month when that month has no corresponding day (民法典 art. 202)', () => {
    expect(licenceTermsOf({ name: '临时许可证', validityMonths: 1, annualInspection: false }, new Date('2027-01-31T02:00:00Z'))?.validTo).toBe('2027-02-28');
    expect(licenceTermsOf({ name: '临时许可证', validityMonths: 12, annualInspection: false }, new Date('2028-02-29T02:00:00Z'))?.validTo).toBe('2029-02-28');
  });

  it('issues no licence for a result without a validity (a letter, a reply)', () => {
    expect(licenceTermsOf({ name: '备案回执', validityMonths: null, annualInspection: false }, new Date())).toBeNull();
  });
});
