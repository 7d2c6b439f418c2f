import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsText } from './text.validator';

const CASE_NUMBER = /^[0-9A-Z]{2,12}-\d{8}-\d{6,}$/;
const ORG_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export class FileComplaintDto {
  @ApiProperty({ enum: ['case', 'officer', 'department'], description: 'What the complaint is about' })
  @IsIn(['case', 'officer', 'department'], { message: "subjectKind must be 'case', 'officer' or 'department'" })
  subjectKind!: 'case' | 'officer' | 'department';

  @ApiPropertyOptional({ example: '449900-20261122-000001', description: 'Required when subjectKind is case' })
  @IsOptional()
  @IsString({ message: 'caseNumber must be a string' })
  @Matches(CASE_NUMBER, { message: 'caseNumber must look like 449900-20261122-000001' })
  caseNumber?: string;

  @ApiPropertyOptional({ description: 'The officer complained about (name or staff id); required when subjectKind is officer' })
  @IsOptional()
  @IsString({ message: 'officerId must be a string' })
  @Length(1, 100, { message: 'officerId must be 1-100 characters' })
  @IsText(false)
  officerId?: string;

  @ApiPropertyOptional({ description: "The department's unified social credit code; required when subjectKind is department or officer" })
  @IsOptional()
  @IsString({ message: 'departmentCode must be a string' })
  @Matches(ORG_CODE, { message: 'departmentCode must be an 18-character unified social credit code' })
  departmentCode?: string;

  @ApiProperty({ minLength: 10, maxLength: 5000, description: 'What happened' })
  @IsString({ message: 'content must be a string' })
  @Length(10, 5000, { message: 'content must be 10-5000 characters: say what happened, when and where' })
  @IsText(true)
  content!: string;

  @ApiPropertyOptional({ description: 'A phone number or e-mail address: required when filing without an applicant token' })
  @IsOptional()
  @IsString({ message: 'contact must be a string' })
  @Matches(/^(\+?\d[\d -]{5,19}|[^\s@]{1,64}@[^\s@]{1,190}\.[A-Za-z]{2,24})$/, { message: 'contact must be a phone number or an e-mail address' })
  contact?: string;
}

export class AssignComplaintDto {
  @ApiProperty({ description: 'The investigator (an officer of the supervision office)' })
  @IsString({ message: 'assignee must be a string' })
  @Length(1, 100, { message: 'assignee must be 1-100 characters' })
  @IsText(false)
  assignee!: string;
}

export class ComplaintNoteDto {
  @ApiProperty({ description: 'What was done: the investigation plan, or the reply to the complainant' })
  @IsString({ message: 'note must be a string' })
  @Length(1, 5000, { message: 'note must be 1-5000 characters' })
  @IsText(true)
  note!: string;
}

export class ConcludeComplaintDto {
  @ApiProperty({ description: 'The finding' })
  @IsString({ message: 'conclusion must be a string' })
  @Length(1, 5000, { message: 'conclusion must be 1-5000 characters' })
  @IsText(true)
  conclusion!: string;

  @ApiProperty({ description: 'Whether the complaint was found substantiated (属实)' })
  @IsBoolean({ message: 'substantiated must be true or false' })
  substantiated!: boolean;
}
