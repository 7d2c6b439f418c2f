import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const CASE_NUMBER_RULE = 'a case number such as 441200-20261122-000001';
const STEP_RULE = 'a step key of letters, digits, "_" or "-" (1 to 64), such as HandlerReview';
const LIMIT_RULE = 'limit must be a whole number from 1 to 200';
const DATE_RULE = 'a date (2026-12-10, China Standard Time) or an instant (2026-12-10T08:00:00Z)';
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const OFFSET_RULE = 'offset must be a whole number from 0 to 100000';

/** The filters of the worklist and of its counts. */
export class WorklistFilterDto {
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

  @ApiPropertyOptional({ example: '11449900000000111Y-XK-001', description: "Only the steps of this matter (the case's matter code)" })
  @IsOptional()
  @IsString({ message: 'matter must be a matter code of letters, digits, "-", "_" or "." (1 to 64)' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'matter must be a matter code of letters, digits, "-", "_" or "." (1 to 64)' })
  matter?: string;

  @ApiPropertyOptional({ enum: ['green', 'yellow', 'red'], description: 'Only steps with this light (yellow: within WORKLIST_YELLOW_HOURS of the deadline; red: overdue)' })
  @IsOptional()
  @IsIn(['green', 'yellow', 'red'], { message: 'light must be green, yellow or red' })
  light?: 'green' | 'yellow' | 'red';

  @ApiPropertyOptional({ example: '2026-12-10', description: `Only steps due before this (a date means its start, CST): ${DATE_RULE}` })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: `dueBefore must be ${DATE_RULE}` })
  @Matches(DATE_SHAPE, { message: `dueBefore must be ${DATE_RULE}` })
  dueBefore?: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: `Only steps due at or after this (a date means its start, CST): ${DATE_RULE}` })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: `dueAfter must be ${DATE_RULE}` })
  @Matches(DATE_SHAPE, { message: `dueAfter must be ${DATE_RULE}` })
  dueAfter?: string;

  @ApiPropertyOptional({ enum: ['me', 'unassigned'], description: 'me: steps you hold; unassigned: steps nobody holds' })
  @IsOptional()
  @IsIn(['me', 'unassigned'], { message: 'assignee must be me or unassigned' })
  assignee?: 'me' | 'unassigned';
}

/** Filters, sorting and paging of the officer's worklist. The total is in the `X-Total-Count` response header. */
export class WorklistQueryDto extends WorklistFilterDto {
  @ApiPropertyOptional({ enum: ['opened', 'deadline'], default: 'opened', description: 'opened: oldest first; deadline: soonest due first (steps without a limit last)' })
  @IsOptional()
  @IsIn(['opened', 'deadline'], { message: 'sort must be opened or deadline' })
  sort?: 'opened' | 'deadline';

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
