import { NOTICE_KINDS } from '@gov/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class NoticeSealDto {
  @ApiProperty({ description: 'The organisation whose electronic seal is on the notice' }) orgCode!: string;
  @ApiPropertyOptional({ nullable: true }) orgName!: string | null;
  @ApiProperty({ description: 'Serial of the seal certificate' }) serial!: string;
  @ApiProperty({ format: 'date-time' }) sealedAt!: string;
}

export class NoticeViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: NOTICE_KINDS }) kind!: (typeof NOTICE_KINDS)[number];
  @ApiProperty() caseNumber!: string;
  @ApiProperty({ format: 'uuid' }) applicationId!: string;
  @ApiProperty({ description: '文号' }) documentNumber!: string;
  @ApiProperty({ description: "The code identity's public verification answers for (GET /verify/documents/{code})" }) verificationCode!: string;
  @ApiProperty({ description: 'What the QR code on the notice holds' }) verifyUrl!: string;
  @ApiProperty({ enum: ['sealing', 'sealed'] }) status!: 'sealing' | 'sealed';
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiPropertyOptional({ nullable: true, description: 'SHA-256 of the PDF, as sealed' }) sha256!: string | null;
  @ApiPropertyOptional({ type: NoticeSealDto, nullable: true }) seal!: NoticeSealDto | null;
  @ApiProperty({ example: '/notices/3f2b8c1e-8d4a-4c3b-9e1f-2a6b7c8d9e0f/pdf' }) downloadPath!: string;
}
