import { CaseNumber } from '@gov/contracts';

const CST_OFFSET_MS = 8 * 3600 * 1000;

/** The day a case number counts in: yyyymmdd in China Standard Time (UTC+8, no daylight saving). */
export function caseNumberDay(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

/** `<tenant>-<yyyymmdd>-<seq>`, the sequence zero-padded to six digits (more once a day passes 999999). */
export function formatCaseNumber(tenantId: string, day: string, seq: number | bigint): string {
  return `${tenantId}-${day}-${String(seq).padStart(6, '0')}`;
}

export function isCaseNumber(value: string): boolean {
  return CaseNumber.safeParse(value).success;
}
