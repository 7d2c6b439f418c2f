import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsText } from '../../complaints/dtos/text.validator';


export class RateCaseDto {
  @ApiProperty({ example: '449900-20261122-000001' })
  @IsString({ message: 'caseNumber must be a string' })
  @Matches(/^[0-9A-Z]{2,12}-\d{8}-\d{6,}$/, { message: 'caseNumber must look like 449900-20261122-000001' })
  caseNumber!: string;

  @ApiProperty({ example: 'gov-2019-v1', description: 'The indicator set version (GET /ratings/indicator-sets)' })
  @IsString({ message: 'indicatorSet must be a string' })
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'indicatorSet must be a version from GET /ratings/indicator-sets, e.g. gov-2019-v1' })
  indicatorSet!: string;

  @ApiProperty({ description: 'A grade 1-5 (5 = 非常满意, 1 = 非常不满意) for every indicator of the set', example: { overall: 5, efficiency: 5, guideAccuracy: 4, convenience: 5, usability: 4 } })
  @IsObject({ message: 'grades must be an object: { <indicator>: 1-5 }' })
  grades!: Record<string, unknown>;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString({ message: 'comment must be a string' })
  @Length(1, 1000, { message: 'comment must be 1-1000 characters' })
  @IsText(true)
  comment?: string;
}

export class CompleteRectificationDto {
  @ApiProperty({ description: 'What the department did about the bad rating' })
  @IsString({ message: 'action must be a string' })
  @Length(5, 2000, { message: 'action must be 5-2000 characters' })
  @IsText(true)
  action!: string;
}

export class RateRectificationDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: '5 = 非常满意 … 1 = 非常不满意' })
  @IsInt({ message: 'grade must be a whole number from 1 to 5' })
  @Min(1, { message: 'grade must be a whole number from 1 to 5' })
  @Max(5, { message: 'grade must be a whole number from 1 to 5' })
  grade!: number;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString({ message: 'comment must be a string' })
  @Length(1, 1000, { message: 'comment must be 1-1000 characters' })
  @IsText(true)
  comment?: string;
}
