import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';

/** The special procedures that stop the clock (seed 001 text 3 art. 14, text 10). */
export const SUSPENSION_REASONS = ['hearing', 'expert-review', 'inspection', 'testing', 'quarantine', 'appraisal', 'tendering', 'auction'] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

const REASON_MESSAGE = 'reason must be 2-1000 characters: say why, it is recorded with the action';

export class ReturnStepDto {
  @ApiProperty({ example: 'HandlerReview', description: 'An earlier human step of this case (its id in the process model)' })
  @IsString()
  @Matches(/^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/, { message: 'toStep must be the id of a step of the process model, e.g. HandlerReview' })
  toStep!: string;

  @ApiProperty({ example: '缺少现场核查记录，请补充后重新审查。' })
  @IsString()
  @Length(2, 1000, { message: REASON_MESSAGE })
  reason!: string;
}

export class TransferStepDto {
  @ApiProperty({ format: 'uuid', description: "The target officer's user id at identity" })
  @IsUUID('all', { message: 'toOfficer must be the user id (a UUID) of an officer of the step’s groups' })
  toOfficer!: string;

  @ApiProperty({ example: '承办人休假，转同科室办理。' })
  @IsString()
  @Length(2, 1000, { message: REASON_MESSAGE })
  reason!: string;
}

export class MeetingRequestDto {
  @ApiProperty({ example: '协办部门意见分歧，提请联合会审。' })
  @IsString()
  @Length(2, 1000, { message: REASON_MESSAGE })
  reason!: string;
}

export class SuspendCaseDto {
  @ApiProperty({ enum: SUSPENSION_REASONS })
  @IsIn(SUSPENSION_REASONS, { message: `reason must be one of ${SUSPENSION_REASONS.join(', ')}` })
  reason!: SuspensionReason;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 365, example: 10, description: 'The time the procedure needs, in working days (told to the applicant; exceeding it is an anomaly in supervision)' })
  @IsInt({ message: 'expectedDays must be a whole number of days' })
  @Min(1, { message: 'expectedDays must be at least 1' })
  @Max(365, { message: 'expectedDays must be at most 365' })
  expectedDays!: number;
}

export class TaskActionResultDto {
  @ApiProperty() caseNumber!: string;
  @ApiProperty({ enum: ['unclaim', 'return', 'take-back', 'transfer', 'suspend', 'resume', 'joint-meeting'] }) action!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The step acted on' }) taskId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The step opened by the action (return, take-back), if any' }) openedTaskId!: string | null;
  @ApiProperty({ nullable: true, type: String }) step!: string | null;
  @ApiProperty({ description: 'Hash of the action record in the case-actions ledger' }) recordHash!: string;
  @ApiProperty() at!: string;
}

export class CaseActionDto {
  @ApiProperty({ enum: ['unclaim', 'return', 'take-back', 'transfer', 'suspend', 'resume', 'joint-meeting'] }) action!: string;
  @ApiProperty({ nullable: true, type: String }) taskId!: string | null;
  @ApiProperty({ nullable: true, type: String }) step!: string | null;
  @ApiProperty() officerId!: string;
  @ApiProperty() officerLabel!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty() createdAt!: string;
  @ApiProperty() hash!: string;
}

export class OpenSuspensionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: SUSPENSION_REASONS }) reason!: string;
  @ApiProperty({ type: 'integer' }) expectedDays!: number;
  @ApiProperty() suspendedBy!: string;
  @ApiProperty() suspendedAt!: string;
}

export class CaseActionsDto {
  @ApiProperty() caseNumber!: string;
  @ApiProperty({ type: OpenSuspensionDto, nullable: true }) openSuspension!: OpenSuspensionDto | null;
  @ApiProperty({ type: CaseActionDto, isArray: true }) actions!: CaseActionDto[];
}
