import { PUBLICITY_CASES, type PublicityCaseName } from '@gov/contracts';
import { ApiErrors, Public } from '@gov/service-kit';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PageQuery } from '../common/page.query';
import { IntakeErrors } from '../errors';
import type { PublicityEntry } from './publicity.entity';
import { PublicityRepository } from './publicity.repository';

export class PublicityQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only this department (unified credit code)' })
  @IsOptional()
  @Matches(/^[0-9A-Z]{18}$/, { message: 'department must be an 18-character unified credit code' })
  department?: string;

  @ApiPropertyOptional({ description: 'Only this matter (事项编码)' })
  @IsOptional()
  @Matches(/^[A-Z0-9][A-Z0-9-]{0,63}$/, { message: 'matterCode must be a matter code: capital letters, digits and dashes' })
  matterCode?: string;
}

export class PublicityItemDto {
  @ApiProperty() caseNumber!: string;
  @ApiProperty() matterCode!: string;
  @ApiProperty() matterName!: string;
  @ApiProperty() departmentCode!: string;
  @ApiProperty({ description: "A legal entity's name; a person's surname only (张*)" }) applicantName!: string;
  @ApiProperty({ description: "A legal entity's unified credit code; a person's ID number masked (4499**********0015)" }) applicantId!: string;
  @ApiProperty({ enum: ['approved', 'rejected'] }) decision!: 'approved' | 'rejected';
  @ApiProperty({ enum: PUBLICITY_CASES, description: 'Which case of seed 001 text 3 art. 21' }) publicityCase!: PublicityCaseName;
  @ApiProperty({ description: "The decision's 文号" }) documentNumber!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) licenceNumber!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) licenceType!: string | null;
  @ApiProperty({ format: 'date-time' }) decidedAt!: string;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
}

export class PublicityPageDto {
  @ApiProperty({ type: PublicityItemDto, isArray: true }) items!: PublicityItemDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

function view(e: PublicityEntry): PublicityItemDto {
  return {
    caseNumber: e.caseNumber,
    matterCode: e.matterCode,
    matterName: e.matterName,
    departmentCode: e.departmentCode,
    applicantName: e.applicantName,
    applicantId: e.applicantIdMasked,
    decision: e.decision,
    publicityCase: e.publicityCase,
    documentNumber: e.documentNumber,
    licenceNumber: e.licenceNumber,
    licenceType: e.licenceType,
    decidedAt: e.decidedAt.toISOString(),
    publishedAt: (e.publishedAt ?? e.publishAt).toISOString(),
  };
}

// Results of approval are public (seed 001 text 3 art. 21: 公示 on the service centre's website).
@ApiTags('publicity')
@Controller('publicity')
export class PublicityController {
  constructor(private readonly repo: PublicityRepository) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'The public feed of decided cases (公示, art. 21), newest first; no personal ID numbers' })
  @ApiOkResponse({ type: PublicityPageDto })
  @ApiErrors(IntakeErrors, 'ValidationFailed', 'InvalidText')
  async list(@Query() q: PublicityQuery): Promise<PublicityPageDto> {
    const limit = q.limit ?? 20;
    const offset = q.offset ?? 0;
    const { items, total } = await this.repo.page({ limit, offset, departmentCode: q.department, matterCode: q.matterCode });
    return { items: items.map(view), total, limit, offset };
  }
}
