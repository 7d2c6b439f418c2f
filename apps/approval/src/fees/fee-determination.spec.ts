import type { CatalogueFeeData } from '@gov/contracts';
import { AppError } from '@gov/service-kit';
import { E } from '../errors';
import { checkFeeDetermination, deadlineAfter } from './fee-determination';

const catalogue: CatalogueFeeData[] = [
  { code: 'F1', name: '许可证工本费', standard: '每证 50 元', amountFen: 5000, basis: '示范省收费文件', payment: '窗口缴纳' },
  { code: 'F2', name: '检测费', standard: '按检测项目计', amountFen: null, basis: '示范省收费文件', payment: '窗口缴纳' },
];

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
  return undefined;
}

describe('fee determination (seed 001 text 3 art. 13)', () => {
  it('accepts catalogue items at the fixed amount and a variable amount in range, with the total', () => {
    expect(checkFeeDetermination('HandlerReview', 'approve', catalogue, { fees: [{ code: 'F1', amountFen: 5000 }, { code: 'F2', amountFen: 12000 }], paymentDays: 10 }, 1_000_000)).toEqual({
      items: [
        { code: 'F1', name: '许可证工本费', amountFen: 5000, catalogueAmountFen: 5000, basis: '示范省收费文件', payment: '窗口缴纳' },
        { code: 'F2', name: '检测费', amountFen: 12000, catalogueAmountFen: null, basis: '示范省收费文件', payment: '窗口缴纳' },
      ],
      totalFen: 17000,
      paymentDays: 10,
    });
  });

  it('refuses a fee not in the catalogue, a repeated item, a wrong fixed amount, an absurd variable amount and an absurd total', () => {
    expect(codeOf(() => checkFeeDetermination('HandlerReview', 'approve', catalogue, { fees: [{ code: 'F9', amountFen: 100 }] }, 1_000_000))).toBe(E.FeeNotInCatalogue);
    expect(codeOf(() => checkFeeDetermination('HandlerReview', 'approve', catalogue, { fees: [{ code: 'F1', amountFen: 5000 }, { code: 'F1', amountFen: 5000 }] }, 1_000_000))).toBe(E.FeeItemRepeated);
    expect(codeOf(() => checkFeeDetermination('HandlerReview', 'approve', catalogue, { fees: [{ code: 'F1', amountFen: 6000 }] }, 1_000_000))).toBe(E.FeeAmountMismatch);
    expect(codeOf(() => checkFeeDetermination('HandlerReview', 'approve', catalogue, { fees: [{ code: 'F2', amountFen: 0 }] }, 1_000_000))).toBe(E.FeeAmountOutOfRange);
    expect(codeOf(() => checkFeeDetermination('HandlerReview', 'approve', catalogue, { fees: [{ code: 'F2', amountFen: 2_000_000 }] }, 1_000_000))).toBe(E.FeeAmountOutOfRange);
    expect(codeOf(() => checkFeeDetermination('HandlerReview', 'approve', null, { fees: [{ code: 'F1', amountFen: 5000 }] }, 1_000_000))).toBe(E.FeeNotInCatalogue);
    const costly: CatalogueFeeData[] = [1, 2, 3].map((n) => ({ ...catalogue[0], code: `C${n}`, amountFen: 900_000_000 }));
    expect(codeOf(() => checkFeeDetermination('HandlerReview', 'approve', costly, { fees: costly.map((f) => ({ code: f.code, amountFen: 900_000_000 })) }, 1_000_000))).toBe(E.FeeAmountOutOfRange);
  });

  it('requires the fees of an approving handler on a matter with fees, and takes them only at the handler review', () => {
    expect(codeOf(() => checkFeeDetermination('HandlerReview', 'approve', catalogue, {}, 1_000_000))).toBe(E.FeesRequired);
    expect(checkFeeDetermination('HandlerReview', 'reject', catalogue, {}, 1_000_000)).toBeNull();
    expect(checkFeeDetermination('HandlerReview', 'approve', catalogue, { fees: [] }, 1_000_000)).toEqual({ items: [], totalFen: 0, paymentDays: null });
    expect(codeOf(() => checkFeeDetermination('ChiefReview', 'approve', catalogue, { fees: [] }, 1_000_000))).toBe(E.FeesNotDeterminedHere);
    expect(checkFeeDetermination('ChiefReview', 'approve', catalogue, {}, 1_000_000)).toBeNull();
  });

  it('computes the payment deadline from the period', () => {
    const from = new Date('2026-12-03T00:00:00.000Z');
    expect(deadlineAfter(from, 'P15D').toISOString()).toBe('2026-12-18T00:00:00.000Z');
    expect(deadlineAfter(from, 'PT5S').toISOString()).toBe('2026-12-03T00:00:05.000Z');
    expect(deadlineAfter(from, 'P1DT2H30M').toISOString()).toBe('2026-12-04T02:30:00.000Z');
    expect(() => deadlineAfter(from, 'P1M')).toThrow(/unsupported/);
  });
});
