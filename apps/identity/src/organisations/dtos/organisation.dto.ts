import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

export class CreateOrganisationDto {
  @ApiProperty({ description: 'Unified social credit code of the organ (18 characters, GB 32100 checksum).' })
  @IsString()
  @Length(18, 18)
  code!: string;

  @IsString()
  @Length(1, 128)
  name!: string;

  @IsIn(['region', 'department', 'section'])
  kind!: 'region' | 'department' | 'section';

  @IsOptional()
  @IsIn(['city', 'county', 'township'])
  level?: 'city' | 'county' | 'township';

  @IsOptional()
  @IsString()
  @Length(18, 18)
  parentCode?: string;

  @Matches(/^\d{6}(\d{3}|\d{6})?$/, { message: 'divisionCode must be a 6, 9 or 12 digit administrative division code' })
  divisionCode!: string;
}

export class MatterDelegationDto {
  @IsString()
  @Length(18, 18)
  toOrg!: string;

  @IsString()
  @Length(1, 64)
  matterCode!: string;
}
