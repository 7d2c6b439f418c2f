import { defineErrorCodes } from '@gov/service-kit';

/** The anchors capability's error codes (identity). */
export const AnchorErrors = defineErrorCodes('identity', {
  AnchorConflict: 409,
  UnknownLedger: 404,
  ChainIntact: 409,
  /** A re-anchor naming a break other than the first one verification reports (stale or guessed). */
  BreakMismatch: 409,
  /** A re-anchor under a delegation or an A/B post: the repair path is taken by a sysadmin in person. */
  ReanchorInPersonOnly: 403,
  AnchoringKeyUnavailable: 503,
});
