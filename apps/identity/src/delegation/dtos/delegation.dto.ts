import { ArrayMinSize, IsArray, IsDateString, IsIn, IsOptional, IsString, Length } from 'class-validator';
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

  @IsOptional()
  @IsDateString()
  startsAt?: string;

  @IsDateString()
  endsAt!: string;

  @IsString()
  @Length(1, 255)
  reason!: string;
}
