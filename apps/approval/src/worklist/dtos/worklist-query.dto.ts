import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const CASE_NUMBER_RULE = 'a case number such as 441200-20261122-000001';
const STEP_RULE = 'a step key of letters, digits, "_" or "-" (1 to 64), such as HandlerReview';
const LIMIT_RULE = 'limit must be a whole number from 1 to 200';
const OFFSET_RULE = 'offset must be a whole number from 0 to 100000';

/** Filters and paging of the officer's worklist. The total is in the `X-Total-Count` response header. */
export class WorklistQueryDto {
  @ApiPropertyOptional({ example: 'handler:11449900000000111Y', description: 'Narrow to one of your groups' })
  @IsOptional()
  @IsString({ message: 'group must be one of your groups, such as handler:11449900000000111Y' })
  @MaxLength(200, { message: 'group must be at most 200 characters' })
  group?: string;

  @ApiPropertyOptional({ example: '449900-20261122-000001', description: 'Only the steps of this case' })
  @IsOptional()
  @IsString({ message: `caseNumber must be ${CASE_NUMBER_RULE}` })
  @MaxLength(64, { message: `caseNumber must be ${CASE_NUMBER_RULE}` })
  @Matches(/^[0-9A-Z]{2,12}-\d{8}-\d{6,}$/, { message: `caseNumber must be ${CASE_NUMBER_RULE}` })
  caseNumber?: string;

  @ApiPropertyOptional({ example: 'HandlerReview', description: 'Only steps of this kind' })
  @IsOptional()
  @IsString({ message: `step must be ${STEP_RULE}` })
  @Matches(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, { message: `step must be ${STEP_RULE}` })
  step?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: LIMIT_RULE })
  @Min(1, { message: LIMIT_RULE })
  @Max(200, { message: LIMIT_RULE })
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'How many of the oldest matching steps to skip' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: OFFSET_RULE })
  @Min(0, { message: OFFSET_RULE })
  @Max(100_000, { message: OFFSET_RULE })
  offset?: number;
}
