import { defineErrorCodes } from '@gov/service-kit';

/** Supervision's error codes, each mapped once to its HTTP status. Tests import these instead of repeating strings. */
export const SupervisionErrors = defineErrorCodes('supervision', {
  /** No step of the case has reached supervision (yet). */
  CaseNotSupervised: 404,
  /** Anchoring on demand while this deployment does not anchor its chains (LEDGER_ANCHORING=off, or no service secret). */
  AnchoringOff: 409,
  /** Identity holds a different anchored head: the chain was rewritten after anchoring (an integrity finding). */
  ChainRewritten: 409,
  /** Identity could not be reached or refused to sign the heads. */
  AnchoringFailed: 502,
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
  // --- statistics, complaints, ratings, ingestion (wt/supstats) ---
  /** A statistics query parameter outside its set or format (dimension, period, key, from/to, format, month). */
  BadStatisticsQuery: 400,
  /** No complaint with this id. */
  ComplaintNotFound: 404,
  /** No complaint with this tracking code (or the code is malformed). */
  TrackingCodeUnknown: 404,
  /** The complaint is not at the stage this action follows (register → assign → investigate → conclude → reply). */
  ComplaintStageConflict: 409,
  /** A complaint must say what it is about (case, officer or department) and, if anonymous, how to reach the complainant. */
  ComplaintSubjectInvalid: 400,
  /** The case has not been decided (yet), or supervision has not heard of it: it cannot be rated. */
  CaseNotRateable: 409,
  /** The case (or the rectification) was already rated by its applicant. */
  AlreadyRated: 409,
  /** The ratings name an indicator set version that does not exist, or leave out or add an indicator. */
  IndicatorSetMismatch: 400,
  /** No rectification ticket with this id. */
  RectificationNotFound: 404,
  /** The rectification is not in the state this action needs (done before it is rated, open before it is done). */
  RectificationStateConflict: 409,
  /** A batch with at least one bad record: nothing of it was applied; `details.errors` lists each line and reason. */
  IngestionBatchRefused: 422,
  // --- end wt/supstats ---
});
export type SupervisionErrorCode = keyof typeof SupervisionErrors.table;
