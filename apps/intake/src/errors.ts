import { AuthErrorCode } from '@gov/auth';
import { KitErrors, defineErrorCodes } from '@gov/service-kit';

/**
 * Every code intake answers with, mapped once to its HTTP status. The kit's and the auth kit's codes that intake's
 * operations surface are listed too, so each operation's OpenAPI names all of its refusals in one place.
 */
export const IntakeErrors = defineErrorCodes('intake', {
  // Request edge (service kit) and idempotency.
  ValidationFailed: KitErrors.status('ValidationFailed'),
  MalformedBody: KitErrors.status('MalformedBody'),
  NestingTooDeep: KitErrors.status('NestingTooDeep'),
  InvalidText: KitErrors.status('InvalidText'),
  BodyTooLarge: KitErrors.status('BodyTooLarge'),
  UnsupportedEncoding: KitErrors.status('UnsupportedEncoding'),
  UnsupportedMediaType: KitErrors.status('UnsupportedMediaType'),
  IdempotencyKeyMissing: KitErrors.status('IdempotencyKeyMissing'),
  IdempotencyKeyInvalid: KitErrors.status('IdempotencyKeyInvalid'),
  IdempotencyKeyReused: KitErrors.status('IdempotencyKeyReused'),
  // Authentication and authorisation (auth kit).
  [AuthErrorCode.MissingToken]: 401,
  [AuthErrorCode.InvalidToken]: 401,
  [AuthErrorCode.InsufficientRole]: 403,
  [AuthErrorCode.OutsideOrganisation]: 403,
  [AuthErrorCode.NotOwnApplication]: 403,
  // Intake's own.
  InvalidMatterCode: 400,
  InvalidApplicationRef: 400,
  InvalidCursor: 400,
  InvalidResidentId: 400,
  InvalidCreditCode: 400,
  MatterNotFound: 404,
  ApplicationNotFound: 404,
  UnknownMatter: 422,
  // Notices (notices/).
  NoticeNotFound: 404,
  NoticeNotSealed: 409,
  InvalidNoticeData: 422,
  // Materials (materials/): uploads checked by content, per slot, until the application is accepted.
  InvalidFileName: 400,
  ArchiveRefused: 400,
  MaterialSlotNotFound: 404,
  MaterialNotFound: 404,
  MaterialsFrozen: 409,
  DuplicateMaterial: 409,
  MaterialTooLarge: 413,
  MaterialTypeRefused: 415,
  TooManyMaterials: 422,
  // The catalogue and its change procedure (seed 004 art. 14, 16), the public guide, import and export.
  InvalidMatterElements: 400,
  InvalidUnifiedCode: 400,
  InvalidVersion: 400,
  MatterVersionNotFound: 404,
  InvalidTemplateName: 400,
  TemplateNotFound: 404,
  TemplateExists: 409,
  TemplateTooLarge: 413,
  TemplateContentMismatch: 415,
  OpenVersionExists: 409,
  VersionStateConflict: 409,
  HeadApprovalRequired: 409,
  FilingRequired: 409,
  DutiesNotSeparated: 403,
  ImportRejected: 422,
  ImportTooLarge: 413,
  // The acceptance regime.
  NotOfferedOnline: 422,
  NotDeferrable: 422,
  DeferredDeadlineInvalid: 422,
  /** Confirming a 容缺 material the application holds no file for (an upload alone never meets the commitment; the window's confirmation does, and only for a file received). */
  DeferredMaterialNotReceived: 409,
  ApplicationStateConflict: 409,
  CorrectionDeadlinePassed: 409,
  WithdrawalNotRequested: 409,
  // The licence store (licences/, 证照批文共享) and reuse of a licence for a material slot.
  InvalidLicenceNumber: 400,
  LicenceNotFound: 404,
  /** The slot does not take a licence (fromIssuedLicence is not set), or takes another type. */
  LicenceNotAccepted: 422,
  /** Expired, revoked, or not sealed yet. */
  LicenceNotUsable: 422,
  /** The licence is another holder's: an applicant reuses only their own. */
  LicenceOfAnotherHolder: 422,
  /** The licence was revoked already (by a revocation decision or by hand); the first revocation stands. */
  LicenceAlreadyRevoked: 409,
  // Consultation (consultations/).
  TooManyRequests: KitErrors.status('TooManyRequests'),
  ConsultationNotFound: 404,
  ConsultationAlreadyAnswered: 409,
  ConsultationNotAnswered: 409,
});

export type IntakeErrorCode = keyof typeof IntakeErrors.table;
