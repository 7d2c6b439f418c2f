import { creditCodeCheckChar, isValidCreditCode, isValidResidentId, residentIdCheckChar } from './china-ids';

describe('resident ID checksum', () => {
  it('accepts well-known valid numbers, including an X check character', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('440304199003071248')).toBe(true);
    expect(isValidResidentId('440524188001010014')).toBe(false); // valid checksum but born before 1900
  });

  it('rejects a wrong check character, an impossible date, bad length and letters', () => {
    expect(isValidResidentId('110105194912310021')).toBe(false);
    expect(isValidResidentId('110105194902300020')).toBe(false);
    expect(isValidResidentId('11010519491231002')).toBe(false);
    expect(isValidResidentId('1101051949123100AX')).toBe(false);
    expect(isValidResidentId('11010519491231002x')).toBe(false);
  });

  it('computes the check character of the first 17 digits', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
  });
});

describe('unified social credit code checksum (GB 32100)', () => {
  it('accepts published valid codes', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91110108551385082Q')).toBe(true);
  });

  it('rejects a wrong check character, forbidden letters and bad length', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100I43')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
  });

  it('computes the check character', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
  });
});
