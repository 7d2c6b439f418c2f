import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

/** The largest BPMN file the pipeline takes (characters); the library's flows are under 40 kB. */
export const MAX_BPMN_CHARS = 500_000;

export class SubmitFlowDto {
  @ApiProperty({ example: '449900', description: 'The tenant (division code of the bureau) the flow is for' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'tenantId must be a six-digit division code, e.g. 449900' })
  tenantId!: string;

  @ApiProperty({ example: 'standard-review.bpmn' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.bpmn$/, { message: 'fileName must end in .bpmn and use letters, digits, . _ - (at most 100 characters)' })
  fileName!: string;

  @ApiProperty({ description: 'The BPMN 2.0 XML as exported by Camunda Modeler' })
  @IsString({ message: 'bpmnXml must be the BPMN file as a string' })
  @Length(1, MAX_BPMN_CHARS, { message: `bpmnXml must be 1-${MAX_BPMN_CHARS} characters` })
  bpmnXml!: string;
}

export class ReviewFlowDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'], { message: "outcome must be 'approve' or 'reject'" })
  outcome!: 'approve' | 'reject';

  @ApiProperty({ example: '流程变更符合审批事项办理规定，同意备案部署。' })
  @IsString()
  @Length(2, 2000, { message: 'comment must be 2-2000 characters' })
  comment!: string;
}

export class DeployFlowDto {
  @ApiPropertyOptional({ description: 'A note kept with the deployment record' })
  @IsOptional()
  @IsString()
  @MaxLength(500, { message: 'note must be at most 500 characters' })
  note?: string;
}

export class MigrateFlowDto {
  @ApiProperty({ example: 1, description: 'The deployed version whose running instances move to this submission’s version' })
  @IsInt({ message: 'fromVersion must be a whole number' })
  @Min(1, { message: 'fromVersion must be at least 1' })
  @Max(100_000, { message: 'fromVersion is too large' })
  fromVersion!: number;

  @ApiProperty({ description: 'true: only report what would happen; false: migrate (after a dry run was reported)' })
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun!: boolean;
}

export class FlowSubmissionView {
  @ApiProperty() id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty() processKey!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty() bpmnSha256!: string;
  @ApiProperty({ enum: ['checked', 'approved', 'rejected', 'deployed'] }) status!: string;
  @ApiProperty() submittedBy!: string;
  @ApiProperty() submittedAt!: string;
  @ApiPropertyOptional({ nullable: true }) reviewedBy!: string | null;
  @ApiPropertyOptional({ nullable: true }) filingNumber!: string | null;
  @ApiPropertyOptional({ nullable: true }) processDefinitionId!: string | null;
  @ApiPropertyOptional({ nullable: true }) processDefinitionVersion!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) checkReport!: unknown;
}
