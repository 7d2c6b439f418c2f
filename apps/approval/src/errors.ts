import { defineErrorCodes } from '@gov/service-kit';

/** Approval's error codes: the status of each is decided here, once. Tests import them from this table. */
export const ApprovalErrors = defineErrorCodes('approval', {
  /** The task id is not an open step (never was, or completed already). */
  StepNotFound: 404,
  CaseNotFound: 404,
  NotYourStep: 403,
  NotYourGroup: 403,
  StepClaimedByOther: 409,
  /** The step was completed or changed by someone else between reading and completing it. */
  StepChanged: 409,
  /** Another completion of this step (another officer, another Idempotency-Key) is under way. */
  StepBeingCompleted: 409,
  /** The engine refused the request as invalid; the message says what it refused. */
  EngineRefused: 422,
  /** The engine failed internally (a 5xx with a reason); nothing was changed by this request. */
  EngineFailed: 502,
  /** The engine did not answer; for a completion the opinion is kept and finished when it is back. */
  EngineUnavailable: 503,
  /** Anchoring on demand while this deployment does not anchor its chains (LEDGER_ANCHORING=off, or no service secret). */
  AnchoringOff: 409,
  /** Identity holds a different anchored head: the chain was rewritten after anchoring (an integrity finding). */
  ChainRewritten: 409,
  /** Identity could not be reached or refused to sign the heads. */
  AnchoringFailed: 502,
  /** The uploaded BPMN failed a check (parse/round trip, lint, project rules, soundness); details hold the report. */
  FlowChecksFailed: 400,
  FlowSubmissionNotFound: 404,
  /** The submission belongs to a tenant the caller does not work for. */
  FlowTenantForbidden: 403,
  /** The analyst who submitted a flow cannot approve it. */
  FlowSelfApproval: 403,
  /** Deploying (or migrating to) a flow that the department head has not approved and filed. */
  FlowNotApproved: 409,
  /** The submission was already approved or refused. */
  FlowAlreadyReviewed: 409,
  /** No deployed definition of this process key and version exists for the tenant. */
  FlowVersionNotFound: 404,
  /** A migration is executed only after a dry run of the same source and target was reported. */
  MigrationDryRunFirst: 409,
  /** The engine's validation of the migration plan found instructions it cannot apply; details list them. */
  MigrationNotValid: 422,
  /** Unclaim of a step nobody holds. */
  StepNotClaimed: 409,
  /** Another officer holds the step; only they (or their section chief) may release, return or transfer it. */
  StepHeldByOther: 403,
  /** The return target is not a human step of this case's process model. */
  ReturnStepUnknown: 400,
  /** The return target is a step of the model that this case has not completed before the returning step. */
  ReturnStepNotEarlier: 409,
  /** Take-back of a task the caller did not complete (or that was not completed: cancelled, still open). */
  NotYourCompletion: 409,
  /** Take-back while the next step is already claimed by an officer. */
  NextStepClaimed: 409,
  /** Take-back after the case moved on: the next step was completed, or the case is no longer at a human step. */
  NextStepDone: 409,
  /** The caller neither holds an open step of the case nor leads the organisation handling it. */
  NotYourCase: 403,
  /** The case already has an open clock suspension (one at a time). */
  SuspensionOpen: 409,
  /** Resume while no suspension is open. */
  NoOpenSuspension: 409,
  /** The case's flow has no clock-suspension path, or the case is no longer running. */
  SuspensionNotPossible: 409,
  /** The transfer target is not an officer of one of the step's candidate groups (or is not a user at all). */
  TransferTargetNotEligible: 400,
  /** Transfer to the officer who already holds the step. */
  TransferToHolder: 409,
  /** A meeting request at a step from which the case's flow goes to no meeting (办公会 / 联合会审). */
  NoMeetingFromHere: 409,
  /** Another request with this Idempotency-Key is still being carried out. */
  ActionInProgress: 409,
  /** Identity could not be asked (transfer target, signing certificate, certificate status). */
  IdentityUnavailable: 503,
  /** A disagreeing opinion (outcome reject) without its reasons (seed 001 text 3 art. 9). */
  ReasonsRequired: 400,
  /** Signing keys are enrolled with the officer's own token, not under delegation. */
  DelegatedEnrolment: 403,
  /** The officer has no usable opinion-signing key yet (none, or its certificate expired or was revoked). */
  NoSigningKey: 404,
  /** Identity refused to certify the officer's signing key (not an officer, no organisation); the message says why. */
  SigningCertificateRefused: 422,
  /** No opinion with this id in this case. */
  OpinionNotFound: 404,
  // --- fees (issue 9 §3; seed 001 text 3 art. 13, 19 (二), 20) ---
  /** A fee determination on a step that does not determine fees (only the handler's review, 承办人审查, does). */
  FeesNotDeterminedHere: 400,
  /** The handler approved a case whose matter has catalogue fees without stating the fees (an empty list states none is due). */
  FeesRequired: 400,
  /** A fee item that is not one of the matter's catalogue fees for this case (擅自收费, seed 004 art. 27). */
  FeeNotInCatalogue: 400,
  /** A fee item named twice in one determination. */
  FeeItemRepeated: 400,
  /** An amount other than the catalogue's fixed amount for that fee (变更收费标准). */
  FeeAmountMismatch: 400,
  /** An amount outside what a variable fee can be (zero, or above FEE_MAX_FEN). */
  FeeAmountOutOfRange: 400,
  /** No payment is due on this case (no fee, not approved yet, or refused). */
  NoPaymentDue: 409,
  /** The payment deadline has passed: the case is refused for the unpaid fee (art. 20), no payment is taken. */
  PaymentDeadlinePassed: 409,
  /** The case's fee was paid already. */
  FeeAlreadyPaid: 409,
  /** The amount confirmed is not the amount the payment notice asks for. */
  PaymentAmountMismatch: 400,
});
export const E = ApprovalErrors.code;
