import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { IsBoundedForm } from '../applications/dtos/form.validator';
import { IsPlainText } from '../applications/dtos/text.validator';

const MATERIAL_KEY = /^[a-z][a-zA-Z0-9_-]{0,63}$/;
const MATERIAL_KEY_RULE = 'a material slot key of the matter: a lower-case letter then letters, digits, "_" or "-"';

export class AcceptDto {
  @ApiPropertyOptional({ maxLength: 500, description: 'A note of the receiving officer' })
  @IsOptional()
  @IsString({ message: 'note must be a string' })
  @Length(1, 500, { message: 'note must be 1-500 characters' })
  @IsPlainText()
  note?: string;
}

export class RefuseDto {
  // 500: what the 不予受理通知书 prints (notices/notice-kinds.ts).
  @ApiProperty({ example: '申请事项不属于本机关职责范围', maxLength: 500 })
  @IsString({ message: 'reason is required: why the application is not accepted' })
  @Length(1, 500, { message: 'reason must be 1-500 characters' })
  @IsPlainText()
  reason!: string;

  @ApiPropertyOptional({ maxLength: 2000, description: 'The remedies printed on the notice; default: 行政复议 within 60 days or 行政诉讼 within six months' })
  @IsOptional()
  @IsString({ message: 'remedies must be a string' })
  @Length(1, 2000, { message: 'remedies must be 1-2000 characters' })
  @IsPlainText()
  remedies?: string;
}

export class CorrectionItemDto {
  @ApiPropertyOptional({ example: 'businessLicence', description: 'The material slot concerned; leave out for a problem of the form' })
  @IsOptional()
  @IsString({ message: 'material must be a string' })
  @Matches(MATERIAL_KEY, { message: `material must be ${MATERIAL_KEY_RULE}` })
  material?: string;

  // 500: what the 一次性告知补正材料通知书 prints per item.
  @ApiProperty({ example: '营业执照复印件未加盖公章', maxLength: 500 })
  @IsString({ message: 'problem is required: what is missing or defective' })
  @Length(1, 500, { message: 'problem must be 1-500 characters' })
  @IsPlainText()
  problem!: string;
}

export class RequestCorrectionDto {
  @ApiProperty({ type: CorrectionItemDto, isArray: true, description: 'Every missing or defective item at once (一次性告知)' })
  @IsArray({ message: 'items must be an array of { material?, problem }' })
  @ArrayMinSize(1, { message: 'items must name at least one missing or defective item' })
  @ArrayMaxSize(50, { message: 'items must have at most 50 entries' })
  @ValidateNested({ each: true })
  @Type(() => CorrectionItemDto)
  items!: CorrectionItemDto[];
}

export class CorrectDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The corrected form (replaces the form)' })
  @IsOptional()
  @IsBoundedForm()
  form?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], description: 'Keys of the material slots handed in with the correction' })
  @IsOptional()
  @IsArray({ message: 'materials must be an array of material slot keys' })
  @ArrayMaxSize(100, { message: 'materials must have at most 100 items' })
  @IsString({ each: true, message: 'materials must hold material slot keys (strings)' })
  @Matches(MATERIAL_KEY, { each: true, message: `each of materials must be ${MATERIAL_KEY_RULE}` })
  materials?: string[];
}

export class CommitmentDto {
  @ApiProperty({ example: '张三', description: 'Who signed the commitment (the applicant or their agent)' })
  @IsString({ message: 'signedBy is required: who signed the commitment' })
  @Length(1, 200, { message: 'signedBy must be 1-200 characters' })
  @IsPlainText()
  signedBy!: string;

  @ApiProperty({ example: '本人承诺在规定期限内补齐所缺材料，逾期未补齐的，本次申请终止办理。' })
  @IsString({ message: 'text is required: the words of the signed commitment' })
  @Length(1, 2000, { message: 'text must be 1-2000 characters' })
  @IsPlainText()
  text!: string;
}

export class AcceptWithMissingDto {
  @ApiProperty({ type: [String], example: ['healthCertificates'], description: 'Material slots promised for later; only those the matter marks as deferrable (容缺)' })
  @IsArray({ message: 'missing must be an array of material slot keys' })
  @ArrayMinSize(1, { message: 'missing must name at least one material (otherwise accept)' })
  @ArrayMaxSize(50, { message: 'missing must have at most 50 items' })
  @IsString({ each: true, message: 'missing must hold material slot keys (strings)' })
  @Matches(MATERIAL_KEY, { each: true, message: `each of missing must be ${MATERIAL_KEY_RULE}` })
  missing!: string[];

  @ApiProperty({ example: '2026-12-10', description: 'Last day (China Standard Time) to hand the missing materials in; never later than the promised limit' })
  @IsDateString({ strict: true }, { message: 'deadline must be a date, YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'deadline must be a date, YYYY-MM-DD' })
  deadline!: string;

  @ApiProperty({ type: CommitmentDto })
  @IsObject({ message: 'commitment is required: { signedBy, text } of the applicant\'s signed commitment' })
  @ValidateNested()
  @Type(() => CommitmentDto)
  commitment!: CommitmentDto;
}

export class DeferredDeliveredDto {
  @ApiProperty({ type: [String], description: 'Deferred material slots now handed in' })
  @IsArray({ message: 'materials must be an array of material slot keys' })
  @ArrayMinSize(1, { message: 'materials must name at least one material' })
  @ArrayMaxSize(50, { message: 'materials must have at most 50 items' })
  @IsString({ each: true, message: 'materials must hold material slot keys (strings)' })
  @Matches(MATERIAL_KEY, { each: true, message: `each of materials must be ${MATERIAL_KEY_RULE}` })
  materials!: string[];
}

export class WithdrawalRequestDto {
  // 500: what the 准予撤回 decision prints.
  @ApiProperty({ example: '需更正申请内容', maxLength: 500 })
  @IsString({ message: 'reason is required: why the application is withdrawn' })
  @Length(1, 500, { message: 'reason must be 1-500 characters' })
  @IsPlainText()
  reason!: string;
}

export class TransitionResultDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty() caseNumber!: string;
  @ApiProperty({ example: 'accepted' }) status!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The data of the notice this step gives (rendered by the notices module)' }) notice!: Record<string, unknown>;
}
