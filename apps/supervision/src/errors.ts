import { defineErrorCodes } from '@gov/service-kit';

/** Supervision's error codes, each mapped once to its HTTP status. Tests import these instead of repeating strings. */
export const SupervisionErrors = defineErrorCodes('supervision', {
  /** No step of the case has reached supervision (yet). */
  CaseNotSupervised: 404,
  /** Anchoring on demand while this deployment does not anchor its chains (LEDGER_ANCHORING=off, or no service secret). */
  AnchoringOff: 409,
  /** Moving the clock on a deployment without CLOCK_CONTROL_ENABLED. */
  ClockControlDisabled: 403,
  /** The live alert stream asked for without `Accept: text/event-stream`. */
  NotEventStream: 406,
  /** No anomaly rule of that name. */
  UnknownRule: 404,
  /** A rule setting naming a bad organisation or a parameter the rule lacks or of the wrong kind. */
  BadRuleSetting: 400,
  /** A year's holiday schedule that cannot be read (bad year, date, kind, a date outside the year, bad ICS). */
  BadSchedule: 400,
  /** A deadline or working-days query with a bad time or limit. */
  BadCalendarQuery: 400,
  /** A supervision order that is malformed (target, deadline). */
  BadOrder: 400,
  /** No supervision order with that id. */
  OrderNotFound: 404,
  /** Responding to an order already answered or escalated; closing one that is not an answered, open rectification notice. */
  OrderClosed: 409,
});
export type SupervisionErrorCode = keyof typeof SupervisionErrors.table;
