// Every refusal the auth kit produces, as a stable code and a sentence a person can act on.
export const AuthErrorCode = {
  MissingToken: 'MissingToken',
  MalformedToken: 'MalformedToken',
  InvalidToken: 'InvalidToken',
  ExpiredToken: 'ExpiredToken',
  UnknownKey: 'UnknownKey',
  WrongTokenType: 'WrongTokenType',
  InsufficientRole: 'InsufficientRole',
  OutsideOrganisation: 'OutsideOrganisation',
  NotOwnApplication: 'NotOwnApplication',
} as const;
export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

export const AuthErrorMessage: Record<AuthErrorCode, string> = {
  MissingToken: 'Authentication required: send an access token as "Authorization: Bearer <token>".',
  MalformedToken: 'The access token is not a well-formed JWT; obtain a new one from the identity service.',
  InvalidToken: 'The access token was refused (signature, algorithm, issuer or audience); obtain a new one from the identity service.',
  ExpiredToken: 'The access token has expired; refresh it or log in again.',
  UnknownKey: 'The access token was signed with a key this service does not know; obtain a new token.',
  WrongTokenType: 'This token is not an access token; use the access_token returned by the identity service.',
  InsufficientRole: 'Your roles do not allow this action.',
  OutsideOrganisation: 'This record belongs to an organisation you do not act for.',
  NotOwnApplication: 'Applicants may only act on their own applications.',
};
