import { defineErrorCodes } from '@gov/service-kit';

/** The anchors capability's error codes (identity). */
export const AnchorErrors = defineErrorCodes('identity', {
  AnchorConflict: 409,
  UnknownLedger: 404,
  ChainIntact: 409,
  AnchoringKeyUnavailable: 503,
});
