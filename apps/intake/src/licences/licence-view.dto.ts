import { APPLICANT_KINDS, type ApplicantKind } from '@gov/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export const LICENCE_STATUSES = ['valid', 'expired', 'revoked', 'pending'] as const;
export type LicenceStatus = (typeof LICENCE_STATUSES)[number];

/** `LIC-<case number>`: what intake numbers a licence with. */
export const LICENCE_NUMBER = /^LIC-[0-9A-Z]{1,12}-\d{8}-\d{6}$/;

export class LicencesQuery {
  @ApiPropertyOptional({ description: "The holder's resident ID or unified credit code; an applicant may leave it out (their own), an officer must name it" })
  @IsOptional()
  @Matches(/^[0-9A-Za-z]{6,32}$/, { message: 'holderId must be a resident ID or a unified credit code (6-32 letters and digits)' })
  holderId?: string;
}

export class LicenceHolderDto {
  @ApiProperty({ enum: APPLICANT_KINDS }) kind!: ApplicantKind;
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class LicenceDocumentDto {
  @ApiProperty({ format: 'uuid' }) noticeId!: string;
  @ApiProperty({ description: "The code identity's public verification answers for" }) verificationCode!: string;
  @ApiProperty() verifyUrl!: string;
  @ApiProperty({ description: 'Whether identity has sealed it (then it verifies)' }) sealed!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'SHA-256 of the sealed PDF' }) sha256!: string | null;
  @ApiProperty({ example: '/notices/3f2b8c1e-8d4a-4c3b-9e1f-2a6b7c8d9e0f/pdf' }) downloadPath!: string;
}

export class LicenceViewDto {
  @ApiProperty({ example: 'LIC-449900-20261203-000001' }) licenceNumber!: string;
  @ApiProperty({ example: '食品经营许可证' }) licenceType!: string;
  @ApiProperty({ enum: LICENCE_STATUSES, description: 'valid; expired (past validTo); revoked; pending (not sealed yet)' }) status!: LicenceStatus;
  @ApiProperty({ type: LicenceHolderDto }) holder!: LicenceHolderDto;
  @ApiProperty() matterCode!: string;
  @ApiProperty() matterName!: string;
  @ApiProperty({ description: 'The issuing department (its seal is on the licence)' }) departmentCode!: string;
  @ApiProperty() caseNumber!: string;
  @ApiProperty({ description: '许可范围' }) scope!: string;
  @ApiProperty({ format: 'date' }) validFrom!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date', description: 'null: no expiry' }) validTo!: string | null;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) revokedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) revocationReason!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The legal basis of the revocation' }) revocationLegalBasis!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The revocation decision (撤销行政许可决定书) that revoked it; null when its department revoked it by hand' }) revocationDocumentNumber!: string | null;
  @ApiProperty({ type: LicenceDocumentDto }) document!: LicenceDocumentDto;
}

/** An officer of the issuing department revokes a licence by hand (注销/撤销证照). */
export class RevokeLicenceDto {
  @ApiProperty({ example: '经核查，持证人以欺骗手段取得许可', minLength: 1, maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;

  @ApiProperty({ example: '《中华人民共和国行政许可法》第六十九条', minLength: 1, maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @Matches(/\S/, { message: 'legalBasis must not be blank' })
  legalBasis!: string;
}
