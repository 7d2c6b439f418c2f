import { APPLICANT_KINDS, type ApplicantKind } from '@gov/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { MATTER_CODE_PATTERN, MATTER_CODE_RULE } from '../../matters/matter-code';
import { FORM_LIMITS, IsBoundedForm } from './form.validator';
import { IsPlainText } from './text.validator';

// Messages of nested fields are prefixed with the parent's name by the validation pipe ("applicant.kind must ...").
export class ApplicantDto {
  @ApiProperty({ enum: APPLICANT_KINDS })
  @IsIn(APPLICANT_KINDS, { message: `kind must be ${APPLICANT_KINDS.map((k) => `'${k}'`).join(' or ')}` })
  kind!: ApplicantKind;

  @ApiProperty({ description: '18-character resident ID (person) or unified social credit code (legal entity)', example: '11010519491231002X', pattern: '^[0-9A-Z]{18}$' })
  @IsString({ message: 'id must be a string' })
  @Matches(/^[0-9A-Z]{18}$/, { message: 'id must be the 18-character resident ID or unified social credit code, digits and capital letters only' })
  id!: string;

  @ApiProperty({ example: '张三', minLength: 1, maxLength: 200 })
  @IsString({ message: 'name must be a string' })
  @Length(1, 200, { message: 'name must be 1-200 characters' })
  @IsPlainText()
  name!: string;
}

export class SubmitApplicationDto {
  @ApiProperty({ example: 'DEMO-SCJG-001', description: `Code of the matter in the catalogue (GET /matters): ${MATTER_CODE_RULE}`, pattern: MATTER_CODE_PATTERN.source })
  @IsString({ message: 'matterCode is required: pick one from GET /matters' })
  @Matches(MATTER_CODE_PATTERN, { message: `matterCode must be a matter code from GET /matters: ${MATTER_CODE_RULE}` })
  matterCode!: string;

  @ApiPropertyOptional({ type: ApplicantDto, description: 'Required when a window clerk registers on the applicant\'s behalf; an applicant applying online is taken from the token and may leave it out' })
  @IsOptional()
  @IsObject({ message: 'applicant must be an object: { kind, id, name }' })
  @ValidateNested()
  @Type(() => ApplicantDto)
  applicant?: ApplicantDto;

  @ApiPropertyOptional({ type: [String], example: ['businessLicence'], description: 'Keys of the material slots handed in (the receipt lists them)' })
  @IsOptional()
  @IsArray({ message: 'materials must be an array of material slot keys' })
  @ArrayMaxSize(100, { message: 'materials must have at most 100 items' })
  @IsString({ each: true, message: 'materials must hold material slot keys (strings)' })
  @Matches(/^[a-z][a-zA-Z0-9_-]{0,63}$/, { each: true, message: 'each of materials must be a material slot key of the matter: a lower-case letter then letters, digits, "_" or "-"' })
  materials?: string[];

  @ApiProperty({
    description: `The matter form, as field names to values (strings, numbers, booleans, null, arrays, objects; at most ${FORM_LIMITS.maxFields} fields, ${FORM_LIMITS.maxDepth} levels, ${FORM_LIMITS.maxBytes / 1024} KiB)`,
    example: { businessPremises: '示范市东城区兴中道1号' },
    type: 'object',
    additionalProperties: true,
  })
  @IsBoundedForm()
  form!: Record<string, unknown>;
}

export class MaterialEntryDto {
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
}

export class ReceiptDto {
  @ApiProperty({ type: MaterialEntryDto, isArray: true, description: 'Materials received' }) materials!: MaterialEntryDto[];
  @ApiPropertyOptional({ format: 'uuid', description: 'The sealed 接件凭证 notice (GET /notices/{id}, its PDF at /notices/{id}/pdf)' }) noticeId?: string;
}

/** The answer to a submission: the application as received (接件), with its receipt (接件凭证). */
export class ApplicationReceivedDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty({ example: '449900-20261122-000001' }) caseNumber!: string;
  @ApiProperty({ example: 'received' }) status!: string;
  @ApiProperty({ enum: ['online', 'window'] }) channel!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'The window decides by then, or the application is deemed accepted from the day of receipt' }) acceptanceDueAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) acceptedAt!: string | null;
  @ApiProperty() matterCode!: string;
  @ApiProperty() matterVersion!: number;
  @ApiProperty() timeLimitWorkingDays!: number;
  @ApiProperty({ type: ReceiptDto }) receipt!: ReceiptDto;
}
