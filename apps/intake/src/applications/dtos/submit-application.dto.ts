import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsObject, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';

export class ApplicantDto {
  @ApiProperty({ enum: ['person', 'legal-entity'] })
  @IsIn(['person', 'legal-entity'], { message: "applicant.kind must be 'person' or 'legal-entity'" })
  kind!: 'person' | 'legal-entity';

  @ApiProperty({ description: '18-character resident ID (person) or unified social credit code (legal entity)', example: '11010519491231002X' })
  @IsString()
  @Matches(/^[0-9A-Z]{18}$/, { message: 'applicant.id must be the 18-character resident ID or unified social credit code, digits and capital letters only' })
  id!: string;

  @ApiProperty({ example: '张三' })
  @IsString()
  @Length(1, 200, { message: 'applicant.name must be 1-200 characters' })
  name!: string;
}

export class SubmitApplicationDto {
  @ApiProperty({ example: 'DEMO-SCJG-001', description: 'Code of the matter in the catalogue (GET /matters)' })
  @IsString()
  @IsNotEmpty({ message: 'matterCode is required: pick one from GET /matters' })
  @MaxLength(64)
  matterCode!: string;

  @ApiProperty({ type: ApplicantDto })
  @ValidateNested()
  @Type(() => ApplicantDto)
  applicant!: ApplicantDto;

  @ApiProperty({ description: 'The matter form, as key/value pairs', example: { businessPremises: '中山市东区兴中道1号' } })
  @IsObject({ message: 'form must be an object of field names to values' })
  form!: Record<string, unknown>;
}

export class ApplicationAcceptedDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty({ example: '441200-20261122-000001' }) caseNumber!: string;
  @ApiProperty({ example: 'accepted' }) status!: string;
  @ApiProperty() acceptedAt!: string;
  @ApiProperty() matterCode!: string;
  @ApiProperty() timeLimitWorkingDays!: number;
}
