import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class EnrolSigningKeyDto {
  @ApiPropertyOptional({ example: '更换办公电脑', description: 'Why a new key replaces the current one (recorded with the retired key)' })
  @IsOptional()
  @IsString()
  @Length(2, 200, { message: 'reason must be 2-200 characters' })
  reason?: string;
}

/** An officer's opinion-signing certificate (never the private key). */
export class SigningKeyDto {
  @ApiProperty({ description: 'Certificate serial (hex) at identity\'s CA' }) serial!: string;
  @ApiProperty({ example: 'CN=承办人刘明, O=登记注册处, 2.5.4.5=…, C=CN' }) subject!: string;
  @ApiProperty({ format: 'date-time' }) notBefore!: string;
  @ApiProperty({ format: 'date-time' }) notAfter!: string;
  @ApiProperty({ format: 'date-time' }) enrolledAt!: string;
  @ApiProperty({ description: 'The certificate, then identity\'s issuing CA (PEM): the x5c of signed opinions' }) certificateChainPem!: string;
}

class SignerDto {
  @ApiProperty() serial!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ format: 'date-time' }) notBefore!: string;
  @ApiProperty({ format: 'date-time' }) notAfter!: string;
}

export class OpinionVerificationDto {
  @ApiProperty() opinionId!: string;
  @ApiProperty() caseNumber!: string;
  @ApiProperty({ description: 'Every check below holds' }) valid!: boolean;
  @ApiProperty({ type: [String], description: 'Why it is not valid (empty when valid)' }) reasons!: string[];
  @ApiProperty() signatureValid!: boolean;
  @ApiProperty({ description: "The signer's certificate chains to identity's CA root" }) chainValid!: boolean;
  @ApiPropertyOptional({ type: SignerDto, nullable: true }) signer!: SignerDto | null;
  @ApiProperty({ enum: ['good', 'revoked', 'expired', 'unknown'] }) statusAtSigning!: string;
  @ApiProperty({ enum: ['good', 'revoked', 'expired', 'unknown'] }) statusNow!: string;
  @ApiProperty({ description: 'The signed payload equals the stored opinion' }) payloadMatches!: boolean;
  @ApiProperty({ description: 'The certificate was issued to the officer recorded with the opinion' }) certificateNamesSigner!: boolean;
  @ApiProperty({ description: "The case's opinion chain verifies" }) ledgerIntact!: boolean;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, description: 'The signed payload (canonical JSON, decoded)' }) payload!: Record<string, unknown> | null;
}
