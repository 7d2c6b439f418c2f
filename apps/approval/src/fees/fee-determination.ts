import type { CatalogueFeeData, DeterminedFeeData } from '@gov/contracts';
import { ApprovalErrors } from '../errors';
import type { PendingFees } from '../steps/pending-completion.entity';

/**
 * The steps that determine fees (核定收费): the handler's review. Seed 001 text 3 art. 13: the handler "应当同时核定缴费的
 * 种类、具体数额和缴费的期限". A flow names its handler's review `HandlerReview` (bpmn/README.md).
 */
export const FEE_DETERMINING_STEPS: ReadonlySet<string> = new Set(['HandlerReview']);

/** The most one payment notice asks for, in fen (20 million yuan; the amounts are stored as 32-bit integers). */
export const MAX_TOTAL_FEN = 2_000_000_000;

export interface FeeItemInput {
  code: string;
  amountFen: number;
}

export interface FeeDeterminationInput {
  fees?: FeeItemInput[];
  paymentDays?: number;
}

/**
 * Checks a handler's fee determination against the case's catalogue fees and returns it as recorded, or null when
 * the completion determines none. Refused (400, nothing recorded): fees on another step, an item not in the catalogue
 * or named twice, an amount other than a fixed catalogue amount, a variable amount of zero or above `maxFen`; and an
 * approving handler who states no fees on a matter that has some (an empty list states that none is due).
 */
export function checkFeeDetermination(
  step: string,
  outcome: 'approve' | 'reject',
  catalogue: readonly CatalogueFeeData[] | null,
  input: FeeDeterminationInput,
  maxFen: number,
): PendingFees | null {
  const given = input.fees;
  const determines = FEE_DETERMINING_STEPS.has(step);
  if (!determines) {
    if (given !== undefined || input.paymentDays !== undefined) {
      throw ApprovalErrors.error('FeesNotDeterminedHere', `Fees are determined at the handler's review (${[...FEE_DETERMINING_STEPS].join(', ')}), not at ${step}.`, { field: 'fees' });
    }
    return null;
  }
  const fees = catalogue ?? [];
  if (given === undefined) {
    if (outcome === 'approve' && fees.length > 0) {
      throw ApprovalErrors.error('FeesRequired', `This matter has catalogue fees (${fees.map((f) => `${f.code} ${f.name}`).join('; ')}): state the fees due in 'fees' ([] when none is due).`, { field: 'fees' });
    }
    if (input.paymentDays !== undefined) throw ApprovalErrors.error('FeesRequired', "'paymentDays' is given with the fees it applies to: state them in 'fees'.", { field: 'fees' });
    return null;
  }
  const byCode = new Map(fees.map((f) => [f.code, f]));
  const seen = new Set<string>();
  const items: DeterminedFeeData[] = given.map((item, i) => {
    const fee = byCode.get(item.code);
    if (!fee) {
      throw ApprovalErrors.error('FeeNotInCatalogue', `Fee ${item.code} is not one of this matter's catalogue fees (${fees.length > 0 ? fees.map((f) => f.code).join(', ') : 'it has none'}).`, { field: `fees.${i}.code` });
    }
    if (seen.has(item.code)) throw ApprovalErrors.error('FeeItemRepeated', `Fee ${item.code} is named twice.`, { field: `fees.${i}.code` });
    seen.add(item.code);
    if (fee.amountFen !== null && item.amountFen !== fee.amountFen) {
      throw ApprovalErrors.error('FeeAmountMismatch', `Fee ${item.code} (${fee.name}) is fixed by the catalogue at ${fee.amountFen} fen (${fee.standard}), not ${item.amountFen}.`, { field: `fees.${i}.amountFen` });
    }
    if (fee.amountFen === null && (item.amountFen <= 0 || item.amountFen > maxFen)) {
      throw ApprovalErrors.error('FeeAmountOutOfRange', `Fee ${item.code} (${fee.name}, ${fee.standard}) must be more than 0 and at most ${maxFen} fen, not ${item.amountFen}.`, { field: `fees.${i}.amountFen` });
    }
    return { code: fee.code, name: fee.name, amountFen: item.amountFen, catalogueAmountFen: fee.amountFen, basis: fee.basis, payment: fee.payment };
  });
  const totalFen = items.reduce((sum, i) => sum + i.amountFen, 0);
  if (totalFen > MAX_TOTAL_FEN) throw ApprovalErrors.error('FeeAmountOutOfRange', `The fees total ${totalFen} fen, more than one payment notice can ask (${MAX_TOTAL_FEN} fen).`, { field: 'fees' });
  return { items, totalFen, paymentDays: input.paymentDays ?? null };
}

/** The deadline a period (ISO-8601 duration: days, hours, minutes, seconds) gives from `from`. */
export function deadlineAfter(from: Date, period: string): Date {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(period);
  if (!m || period === 'P' || period.endsWith('T')) throw new Error(`unsupported payment period ${period}`);
  const [, d, h, min, s] = m.map((x) => Number(x ?? 0));
  return new Date(from.getTime() + (((d * 24 + h) * 60 + min) * 60 + s) * 1000);
}
