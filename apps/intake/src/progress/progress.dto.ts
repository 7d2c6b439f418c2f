import { ApiProperty } from '@nestjs/swagger';

export class CurrentStepDto {
  @ApiProperty({ example: 'review' }) step!: string;
  @ApiProperty({ type: String, nullable: true, example: '审查' }) name!: string | null;
  @ApiProperty({ type: [String], description: 'Who works it (candidate groups: organisation and role)' }) groups!: string[];
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: Number, nullable: true }) limitWorkingDays!: number | null;
  @ApiProperty({ type: String, nullable: true, enum: ['green', 'yellow', 'red'], description: "Supervision's light" }) light!: string | null;
}

export class WorkingDaysDto {
  @ApiProperty({ description: 'The promised limit (承诺时限)' }) limit!: number;
  @ApiProperty() used!: number;
  @ApiProperty() left!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) deadline!: string | null;
}

export class SuspensionDto {
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) to!: string | null;
}

export class IssuedDocumentDto {
  @ApiProperty({ example: 'acceptance', description: 'A notice of intake (receipt, acceptance, refusal, correction, with-missing, withdrawal, termination) or a decision of approval' }) kind!: string;
  @ApiProperty({ type: String, nullable: true }) documentNumber!: string | null;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
}

export class ResultDto {
  @ApiProperty({ enum: ['approved', 'rejected', 'filed', 'revoked', 'withdrawn', 'terminated', 'refused', 'mixed'], description: 'filed: a filing receipt (备案回执); revoked: the approval was revoked later (撤销许可决定); mixed: the departments of a joint window decided differently' }) outcome!: string;
  @ApiProperty({ type: String, nullable: true }) documentNumber!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

/** The applicant's progress view (办件进度查询). */
export class ProgressDto {
  @ApiProperty() caseNumber!: string;
  @ApiProperty({ example: 'accepted' }) status!: string;
  @ApiProperty({ description: 'The handling organisation' }) departmentCode!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) acceptedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['window', 'with-missing', 'deemed'] }) acceptanceMode!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'While awaiting the window: when it is deemed accepted' }) acceptanceDueAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) correctionDeadline!: string | null;
  @ApiProperty({ type: CurrentStepDto, nullable: true }) currentStep!: CurrentStepDto | null;
  @ApiProperty({ type: WorkingDaysDto, nullable: true, description: 'Counted from acceptance; null before' }) workingDays!: WorkingDaysDto | null;
  @ApiProperty({ type: SuspensionDto, isArray: true }) suspensions!: SuspensionDto[];
  @ApiProperty({ type: IssuedDocumentDto, isArray: true }) documents!: IssuedDocumentDto[];
  @ApiProperty({ type: ResultDto, nullable: true }) result!: ResultDto | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) withdrawalRequestedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'For a department\'s part of a joint window: the joint-window application\'s case number' }) jointWindowOf!: string | null;
  @ApiProperty({ type: () => ProgressDto, isArray: true, description: 'For a joint-window application (联合受理): each department\'s part, in parallel' }) parts!: ProgressDto[];
}
