import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { REVOCATION_REASONS, type RevocationReason } from '../ca.service';

export class IssueOfficerCertificateDto {
  @IsUUID()
  userId!: string;

  /** PEM SubjectPublicKeyInfo of the officer's P-256 key. Omit to have a key pair generated and returned once. */
  @IsOptional()
  @IsString()
  @Length(50, 2000)
  publicKeyPem?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1095)
  validityDays?: number;
}

export class IssueSealCertificateDto {
  @IsString()
  @Length(18, 18)
  orgCode!: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1825)
  validityDays?: number;
}

export class RevokeCertificateDto {
  @IsIn(REVOCATION_REASONS)
  reason!: RevocationReason;
}

export class RenewCertificateDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1825)
  validityDays?: number;
}

export class VerifyJwsDto {
  @IsString()
  @Length(10, 200_000)
  jws!: string;
}

export class ChallengeDto {
  @IsString()
  @Length(1, 64)
  username!: string;
}
