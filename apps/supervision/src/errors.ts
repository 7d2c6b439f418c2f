import { defineErrorCodes } from '@gov/service-kit';

/** Supervision's error codes, each mapped once to its HTTP status. Tests import these instead of repeating strings. */
export const SupervisionErrors = defineErrorCodes('supervision', {
  /** No step of the case has reached supervision (yet). */
  CaseNotSupervised: 404,
  /** A case number (path or query) that is not `<tenant>-<yyyymmdd>-<6+ digits>`. */
  BadCaseNumber: 400,
  /** `level` other than yellow or red. */
  BadLevel: 400,
  /** `after` that is not a ledger sequence number. */
  BadCursor: 400,
  /** `limit` outside 1-500. */
  BadLimit: 400,
  /** Moving the clock on a deployment without CLOCK_CONTROL_ENABLED. */
  ClockControlDisabled: 403,
});
export type SupervisionErrorCode = keyof typeof SupervisionErrors.table;
