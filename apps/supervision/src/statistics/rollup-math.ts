// Figures derived from a rollup row's counters: rates, averages and the 90th percentile from its histogram.

/** Histogram buckets: index i (0-based) counts cases that used i working days; the last bucket is "60 or more". */
export const HIST_BUCKETS = 61;

export interface RollupCounters {
  received: number;
  accepted: number;
  decided: number;
  onTime: number;
  usedWdSum: number;
  statutoryWdSum: number;
  promisedWdSum: number;
  promisedCount: number;
  promisedOnTime: number;
  usedHist: number[];
  returns: number;
  suspensions: number;
  reds: number;
  yellows: number;
  anomalies: number;
  complaints: number;
  ratings: number;
  ratingSum: number;
  badRatings: number;
  caseReds: number;
  caseYellows: number;
  consultations: number;
  consultationsOverdue: number;
}

export interface RollupFigures {
  received: number;
  accepted: number;
  decided: number;
  /** Share of decided cases decided within the statutory limit, 0-1; null with nothing decided. */
  onTimeRate: number | null;
  avgWorkingDaysUsed: number | null;
  p90WorkingDaysUsed: number | null;
  avgStatutoryWorkingDays: number | null;
  avgPromisedWorkingDays: number | null;
  /** Share of cases with a promised limit decided within it. */
  promisedOnTimeRate: number | null;
  /** 提速率: 1 - (working days used / statutory working days), over decided cases. */
  speedUpRate: number | null;
  returns: number;
  suspensions: number;
  reds: number;
  yellows: number;
  anomalies: number;
  complaints: number;
  ratings: number;
  /** Average grade 1-5. */
  avgRating: number | null;
  /** Share of ratings that were not bad (grades 3-5), 0-1. */
  satisfactionRate: number | null;
  /** Case deadline lights (statutory or promised limit), apart from the step lights. */
  caseReds: number;
  caseYellows: number;
  /** Consultations (咨询) asked of the department, and those it left unanswered past their due time. */
  consultations: number;
  consultationsOverdue: number;
}

export function bucketOf(workingDays: number): number {
  return Math.min(HIST_BUCKETS - 1, Math.max(0, Math.round(workingDays)));
}

/** The smallest bucket at or below which `q` of the counted cases fall (nearest-rank percentile). */
export function percentileOf(hist: readonly number[], q: number): number | null {
  const total = hist.reduce((a, b) => a + (b ?? 0), 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i] ?? 0;
    if (seen >= rank) return i;
  }
  return hist.length - 1;
}

const ratio = (a: number, b: number, digits = 4): number | null => (b === 0 ? null : round(a / b, digits));
function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function figuresOf(c: RollupCounters): RollupFigures {
  return {
    received: c.received,
    accepted: c.accepted,
    decided: c.decided,
    onTimeRate: ratio(c.onTime, c.decided),
    avgWorkingDaysUsed: ratio(c.usedWdSum, c.decided, 2),
    p90WorkingDaysUsed: percentileOf(c.usedHist, 0.9),
    avgStatutoryWorkingDays: ratio(c.statutoryWdSum, c.decided, 2),
    avgPromisedWorkingDays: ratio(c.promisedWdSum, c.promisedCount, 2),
    promisedOnTimeRate: ratio(c.promisedOnTime, c.promisedCount),
    speedUpRate: c.statutoryWdSum === 0 ? null : round(1 - c.usedWdSum / c.statutoryWdSum, 4),
    returns: c.returns,
    suspensions: c.suspensions,
    reds: c.reds,
    yellows: c.yellows,
    anomalies: c.anomalies,
    complaints: c.complaints,
    ratings: c.ratings,
    avgRating: ratio(c.ratingSum, c.ratings, 2),
    satisfactionRate: ratio(c.ratings - c.badRatings, c.ratings),
    caseReds: c.caseReds,
    caseYellows: c.caseYellows,
    consultations: c.consultations,
    consultationsOverdue: c.consultationsOverdue,
  };
}
