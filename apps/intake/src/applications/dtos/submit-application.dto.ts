import { APPLICANT_KINDS, type ApplicantKind } from '@gov/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsString, Length, Matches, ValidateNested } from 'class-validator';
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

  @ApiProperty({ type: ApplicantDto })
  @IsDefined({ message: 'applicant is required: { kind, id, name }' })
  @IsObject({ message: 'applicant must be an object: { kind, id, name }' })
  @ValidateNested()
  @Type(() => ApplicantDto)
  applicant!: ApplicantDto;

  @ApiProperty({
    description: `The matter form, as field names to values (strings, numbers, booleans, null, arrays, objects; at most ${FORM_LIMITS.maxFields} fields, ${FORM_LIMITS.maxDepth} levels, ${FORM_LIMITS.maxBytes / 1024} KiB)`,
    example: { businessPremises: '示范市东城区兴中道1号' },
    type: 'object',
    additionalProperties: true,
  })
  @IsBoundedForm()
  form!: Record<string, unknown>;
}

export class ApplicationAcceptedDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty({ example: '449900-20261122-000001' }) caseNumber!: string;
  @ApiProperty({ example: 'accepted' }) status!: string;
  @ApiProperty() acceptedAt!: string;
  @ApiProperty() matterCode!: string;
  @ApiProperty() timeLimitWorkingDays!: number;
}
