import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const CASE_NUMBER_RULE = 'caseNumber must be a case number such as 441200-20261122-000001';
const LEVEL_RULE = "level must be 'yellow' or 'red'";
const AFTER_RULE = 'after must be a non-negative whole number (a ledger seq)';
const LIMIT_RULE = 'limit must be a whole number from 1 to 500';

/** Filters and paging of the alert ledger (the kit's validation: 400 ValidationFailed naming each field and rule). */
export class AlertsQueryDto {
  @ApiPropertyOptional({ example: '441200-20261122-000001' })
  @IsOptional()
  @IsString({ message: CASE_NUMBER_RULE })
  @MaxLength(64, { message: CASE_NUMBER_RULE })
  @Matches(/^[0-9A-Z]{2,12}-\d{8}-\d{6,}$/, { message: CASE_NUMBER_RULE })
  caseNumber?: string;

  @ApiPropertyOptional({ enum: ['yellow', 'red'] })
  @IsOptional()
  @IsIn(['yellow', 'red'], { message: LEVEL_RULE })
  level?: 'yellow' | 'red';

  /** Kept a string and matched digit by digit: a number conversion would take "1e3" or " 1". */
  @ApiPropertyOptional({ description: 'Return alerts after this ledger sequence number (page through with the last seq)', example: '0' })
  @IsOptional()
  @IsString({ message: AFTER_RULE })
  @Matches(/^\d{1,15}$/, { message: AFTER_RULE })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: LIMIT_RULE })
  @Min(1, { message: LIMIT_RULE })
  @Max(500, { message: LIMIT_RULE })
  limit?: number;
}
