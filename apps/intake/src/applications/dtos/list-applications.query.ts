import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MATTER_CODE_PATTERN, MATTER_CODE_RULE } from '../../matters/matter-code';

export class ListApplicationsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1, { message: 'limit must be a whole number from 1 to 100' })
  @Max(100, { message: 'limit must be a whole number from 1 to 100' })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString({ message: 'cursor must be the nextCursor of a previous page' })
  @MaxLength(200, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ description: `Only applications for this matter (${MATTER_CODE_RULE})` })
  @IsOptional()
  @IsString({ message: `matterCode must be a matter code: ${MATTER_CODE_RULE}` })
  @Matches(MATTER_CODE_PATTERN, { message: `matterCode must be a matter code: ${MATTER_CODE_RULE}` })
  matterCode?: string;
}
