import { PageQuery } from '../../common/page.query';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { HANDLING_LEVELS, type HandlingLevel, MATTER_CATEGORIES, MATTER_KINDS, type MatterCategory, type MatterKind, ONLINE_CLASSES, type OnlineClass } from '../matter-version';

export class GuideSearchQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Unified social credit code of the responsible department (18 characters)' })
  @IsOptional()
  @IsString({ message: 'department must be the 18-character unified social credit code of a department' })
  @Matches(/^[0-9A-Z]{18}$/, { message: 'department must be the 18-character unified social credit code of a department' })
  department?: string;

  @ApiPropertyOptional({ enum: HANDLING_LEVELS })
  @IsOptional()
  @IsIn(HANDLING_LEVELS, { message: `level must be one of ${HANDLING_LEVELS.join(', ')}` })
  level?: HandlingLevel;

  @ApiPropertyOptional({ enum: MATTER_KINDS })
  @IsOptional()
  @IsIn(MATTER_KINDS, { message: `kind must be one of ${MATTER_KINDS.join(', ')}` })
  kind?: MatterKind;

  @ApiPropertyOptional({ enum: MATTER_CATEGORIES })
  @IsOptional()
  @IsIn(MATTER_CATEGORIES, { message: `category must be one of ${MATTER_CATEGORIES.join(', ')}` })
  category?: MatterCategory;

  @ApiPropertyOptional({ enum: ONLINE_CLASSES, description: 'A online now, B online later, C window only, D not online' })
  @IsOptional()
  @IsIn(ONLINE_CLASSES, { message: `onlineClass must be one of ${ONLINE_CLASSES.join(', ')}` })
  onlineClass?: OnlineClass;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only matters open (true) or not open (false) to notification-commitment (告知承诺制)' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'commitment must be true or false' })
  commitment?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'A keyword found in the name, code, department, legal basis or conditions (1-50 characters)' })
  @IsOptional()
  @IsString({ message: 'q must be a keyword of 1-50 characters' })
  @Matches(/^(?!\s*$).{1,50}$/su, { message: 'q must be a keyword of 1-50 characters' })
  q?: string;
}

export class FormQuery {
  @ApiPropertyOptional({ enum: ['json', 'pdf', 'docx'], default: 'json', description: 'json: the JSON Schema of the form; pdf / docx: a printable form' })
  @IsOptional()
  @IsIn(['json', 'pdf', 'docx'], { message: 'format must be json, pdf or docx' })
  format?: 'json' | 'pdf' | 'docx';
}

export class GuideDepartmentDto {
  @ApiProperty() code!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
}

export class GuideSummaryDto {
  @ApiProperty() code!: string;
  @ApiProperty() version!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: MATTER_KINDS }) kind!: MatterKind;
  @ApiProperty({ enum: MATTER_CATEGORIES }) category!: MatterCategory;
  @ApiProperty({ type: GuideDepartmentDto }) department!: GuideDepartmentDto;
  @ApiProperty({ enum: HANDLING_LEVELS, isArray: true }) levels!: HandlingLevel[];
  @ApiProperty() promisedWorkingDays!: number;
  @ApiProperty({ enum: ONLINE_CLASSES }) onlineClass!: OnlineClass;
  @ApiProperty() commitment!: boolean;
  @ApiProperty({ example: '/guide/matters/DEMO-SCJG-001' }) guide!: string;
}

export class GuidePageDto {
  @ApiProperty({ type: GuideSummaryDto, isArray: true }) items!: GuideSummaryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class GuideMaterialDto {
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
  @ApiProperty() required!: boolean;
  @ApiProperty({ example: '必须提交；复印件 1 份' }) requirement!: string;
  @ApiProperty({ nullable: true, type: String, example: '/guide/templates/premises-plan.pdf' }) template!: string | null;
  @ApiProperty() mayBeDeferred!: boolean;
  @ApiProperty({ nullable: true, type: String }) fromIssuedLicence!: string | null;
  @ApiProperty({ example: 'PDF、JPG、PNG 格式，单个文件不超过 20 MB' }) accepts!: string;
  @ApiProperty() note!: string;
}

export class GuideStepDto {
  @ApiProperty() name!: string;
  @ApiProperty() workingDays!: number;
}

export class GuideTimeLimitsDto {
  @ApiProperty() statutoryWorkingDays!: number;
  @ApiProperty() promisedWorkingDays!: number;
  @ApiProperty({ type: GuideStepDto, isArray: true }) steps!: GuideStepDto[];
  @ApiProperty() text!: string;
}

export class GuideFeeDto {
  @ApiProperty() name!: string;
  @ApiProperty() standard!: string;
  @ApiProperty({ nullable: true, type: Number }) amountFen!: number | null;
  @ApiProperty() basis!: string;
  @ApiProperty() payment!: string;
}

export class GuideFormDto {
  @ApiProperty() title!: string;
  @ApiProperty({ example: '/guide/matters/DEMO-SCJG-001/form' }) schema!: string;
  @ApiProperty({ example: '/guide/matters/DEMO-SCJG-001/form?format=pdf' }) printable!: string;
}

export class GuideResultDto {
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: Number }) validityMonths!: number | null;
  @ApiProperty() annualInspection!: boolean;
  @ApiProperty() text!: string;
}

export class GuideOnlineDto {
  @ApiProperty({ enum: ONLINE_CLASSES }) class!: OnlineClass;
  @ApiProperty() canApplyOnline!: boolean;
  @ApiProperty({ nullable: true, type: String }) onlineFrom!: string | null;
  @ApiProperty() text!: string;
}

export class GuideCommitmentDto {
  @ApiProperty({ example: '/guide/templates/commitment-letter.docx' }) template!: string;
  @ApiProperty() verifyWithinWorkingDays!: number;
  @ApiProperty() text!: string;
}

export class GuideBundleMemberDto {
  @ApiProperty() code!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ type: GuideDepartmentDto, nullable: true }) department!: GuideDepartmentDto | null;
}

/** A matter's service guide (办事指南), every element in the applicant's words. */
export class GuideDto {
  @ApiProperty() code!: string;
  @ApiProperty() version!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: MATTER_KINDS }) kind!: MatterKind;
  @ApiProperty({ enum: MATTER_CATEGORIES }) category!: MatterCategory;
  @ApiProperty({ type: GuideDepartmentDto }) department!: GuideDepartmentDto;
  @ApiProperty({ enum: HANDLING_LEVELS, isArray: true }) levels!: HandlingLevel[];
  @ApiProperty({ example: '市级、区县级办理；已下放区县级办理' }) handledBy!: string;
  @ApiProperty({
    type: GuideDepartmentDto,
    nullable: true,
    description: '上报件: the higher-level department that reviews and signs off the case (the county window accepts and issues); null for other matters',
  })
  reportsTo!: GuideDepartmentDto | null;
  @ApiProperty({ type: GuideDepartmentDto, isArray: true, description: '并联审批: the departments that review the application at once beside the responsible one (empty for other matters)' })
  coReviewers!: GuideDepartmentDto[];
  @ApiProperty({ type: String, isArray: true }) legalBasis!: string[];
  @ApiProperty({ type: String, isArray: true }) conditions!: string[];
  @ApiProperty({ type: GuideMaterialDto, isArray: true }) materials!: GuideMaterialDto[];
  @ApiProperty({ type: GuideTimeLimitsDto }) timeLimits!: GuideTimeLimitsDto;
  @ApiProperty({ type: GuideFeeDto, isArray: true }) fees!: GuideFeeDto[];
  @ApiProperty({ example: '不收费' }) feesText!: string;
  @ApiProperty({ type: GuideFormDto }) form!: GuideFormDto;
  @ApiProperty({ type: GuideResultDto }) result!: GuideResultDto;
  @ApiProperty() consultation!: string;
  @ApiProperty() complaint!: string;
  @ApiProperty({ type: GuideOnlineDto }) online!: GuideOnlineDto;
  @ApiProperty({ type: GuideCommitmentDto, nullable: true }) commitment!: GuideCommitmentDto | null;
  @ApiProperty({ type: GuideBundleMemberDto, isArray: true, description: 'For a joint-window bundle: the matters its one application fans out to' }) bundle!: GuideBundleMemberDto[];
}

export class CommitmentMatterDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: GuideDepartmentDto }) department!: GuideDepartmentDto;
  @ApiProperty() template!: string;
  @ApiProperty() verifyWithinWorkingDays!: number;
  @ApiProperty() guide!: string;
}

export class CommitmentListDto {
  @ApiProperty({ example: '/guide/templates/commitment-letter.docx', description: 'The general commitment letter (告知承诺书) template' }) template!: string;
  @ApiProperty({ type: CommitmentMatterDto, isArray: true }) items!: CommitmentMatterDto[];
}
