import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsString, Length, Matches, MinLength, ValidateNested } from 'class-validator';
import { OFFICER_ROLES, type Role } from '@gov/auth';
import { APPLICANT_KINDS, type ApplicantKind } from '@gov/contracts';
import { IsWellFormedText } from '../../common/well-formed-text';

export class RoleGrantDto {
  @IsString()
  @Length(18, 18)
  orgCode!: string;

  @IsIn(OFFICER_ROLES as Role[])
  role!: Role;
}

export class CreateOfficerDto {
  @Matches(/^[a-z][a-z0-9._-]{2,63}$/, { message: 'username: 3-64 lowercase letters, digits, dot, dash or underscore, starting with a letter' })
  username!: string;

  @IsString()
  @IsWellFormedText()
  @Length(1, 128)
  displayName!: string;

  @IsString()
  @IsWellFormedText()
  @MinLength(10)
  password!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => RoleGrantDto)
  roles!: RoleGrantDto[];
}

export class RegisterApplicantDto {
  @Matches(/^[a-z][a-z0-9._-]{2,63}$/, { message: 'username: 3-64 lowercase letters, digits, dot, dash or underscore, starting with a letter' })
  username!: string;

  @IsString()
  @IsWellFormedText()
  @Length(1, 128)
  displayName!: string;

  @IsString()
  @IsWellFormedText()
  @MinLength(10)
  password!: string;

  @ApiProperty({ enum: APPLICANT_KINDS })
  @IsIn(APPLICANT_KINDS)
  applicantKind!: ApplicantKind;

  @ApiProperty({ description: '18-digit resident ID (person) or 18-character unified social credit code (legal entity)' })
  @IsString()
  @Length(18, 18, { message: 'applicantId must be exactly 18 characters' })
  applicantId!: string;
}
