import { ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInstant } from '@gov/service-kit';
import { OFFICER_ROLES, type Role } from '@gov/auth';

export class CreateDelegationDto {
  @IsString()
  @Length(1, 64)
  toUsername!: string;

  @IsString()
  @Length(18, 18)
  orgCode!: string;

  /** Roles handed over; each must be held by the delegator at orgCode. */
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(OFFICER_ROLES as Role[], { each: true })
  roles!: Role[];

  @IsIn(['delegation', 'ab_post'])
  mode!: 'delegation' | 'ab_post';

  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2027-01-01T09:00:00+08:00' })
  @IsOptional()
  @IsInstant()
  startsAt?: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2027-01-08T18:00:00+08:00' })
  @IsInstant()
  endsAt!: string;

  @IsString()
  @Length(1, 255)
  reason!: string;
}
