import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';

export class LoginDto {
  @IsString()
  @Length(1, 64)
  username!: string;

  @IsString()
  @Length(1, 256)
  password!: string;

  /** Officers: the 6-digit code from their authenticator. */
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'totp must be 6 digits' })
  totp?: string;

  /** Officers, instead of TOTP: a challenge from POST /auth/challenge, signed with their certificate's key. */
  @IsOptional()
  @IsString()
  @Length(1, 4096)
  certificateSignature?: string;
}

export class RefreshDto {
  @IsString()
  @Length(10, 256)
  refresh_token!: string;
}

export class ClientCredentialsDto {
  @IsIn(['client_credentials'])
  grant_type!: 'client_credentials';

  @IsString()
  @Length(1, 64)
  client_id!: string;

  @IsString()
  @Length(1, 256)
  client_secret!: string;
}

export class DelegatedTokenDto {
  @IsUUID()
  delegationId!: string;
}

export class ChallengeDto {
  @IsString()
  @Length(1, 64)
  username!: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
}
