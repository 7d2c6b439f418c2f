import { defineErrorCodes } from '@gov/service-kit';

/** Supervision's error codes, each mapped once to its HTTP status. Tests import these instead of repeating strings. */
export const SupervisionErrors = defineErrorCodes('supervision', {
  /** No step of the case has reached supervision (yet). */
  CaseNotSupervised: 404,
  /** Anchoring on demand while this deployment does not anchor its chains (LEDGER_ANCHORING=off, or no service secret). */
  AnchoringOff: 409,
  /** Moving the clock on a deployment without CLOCK_CONTROL_ENABLED. */
  ClockControlDisabled: 403,
});
export type SupervisionErrorCode = keyof typeof SupervisionErrors.table;
