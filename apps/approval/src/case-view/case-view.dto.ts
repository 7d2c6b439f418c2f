import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CaseActionDto, SUSPENSION_REASONS } from '../task-actions/dtos/task-actions.dto';

export class CaseViewOpinionDto {
  @ApiProperty() taskId!: string;
  @ApiProperty() step!: string;
  @ApiProperty({ nullable: true, type: String }) stepName!: string | null;
  @ApiProperty() officerId!: string;
  @ApiProperty({ description: 'Under delegation both names (授权)' }) officerLabel!: string;
  @ApiProperty({ enum: ['approve', 'reject'] }) outcome!: string;
  @ApiProperty() opinion!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() hash!: string;
}

export class CaseViewSuspensionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: SUSPENSION_REASONS }) reason!: string;
  @ApiProperty({ type: 'integer', description: 'The duration stated when suspending, in working days' }) expectedDays!: number;
  @ApiProperty() suspendedBy!: string;
  @ApiProperty() suspendedAt!: string;
  @ApiProperty({ nullable: true, type: String }) resumedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) resumedAt!: string | null;
}

export class CaseViewDocumentDto {
  @ApiProperty({ enum: ['decision'] }) kind!: 'decision';
  @ApiProperty({ enum: ['approved', 'rejected', 'filed', 'withdrawn', 'terminated', 'revoked'], description: 'filed: 备案回执; revoked: the revocation (撤销许可决定) of the approval' }) decision!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'A revocation: the document number of the decision it revokes' }) revokesDocumentNumber!: string | null;
  @ApiProperty({ description: '文号' }) documentNumber!: string;
}

export class CaseViewHistoryDto {
  @ApiProperty() activityId!: string;
  @ApiProperty({ nullable: true, type: String }) activityName!: string | null;
  @ApiProperty() activityType!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Who worked a human step' }) assignee!: string | null;
  @ApiProperty() startTime!: string;
  @ApiProperty({ nullable: true, type: String }) endTime!: string | null;
  @ApiProperty({ description: 'Cancelled (returned, taken back, withdrawn) rather than completed' }) canceled!: boolean;
}

/** A flow the case's flow called (上报件: the city's review, a child instance in the city tenant). */
export class CaseViewCalledInstanceDto {
  @ApiProperty() processInstanceId!: string;
  @ApiProperty({ nullable: true, type: String }) processDefinitionId!: string | null;
  @ApiProperty() processDefinitionKey!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The tenant it runs in (the higher level for a 上报件)' }) tenantId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The BPMN 2.0 XML of the called definition' }) bpmnXml!: string | null;
  @ApiProperty({ type: String, isArray: true, description: 'Its activities now (empty once it returned)' }) activeActivityIds!: string[];
  @ApiProperty({ type: CaseViewHistoryDto, isArray: true, description: 'Its historic activity instances, oldest first' }) history!: CaseViewHistoryDto[];
}

export class CaseViewDto {
  @ApiProperty() caseNumber!: string;
  @ApiProperty() status!: string;
  @ApiProperty() matterCode!: string;
  @ApiProperty() matterName!: string;
  @ApiProperty() departmentCode!: string;
  @ApiProperty({ nullable: true, type: String, description: '上报件: the higher-level department that reviews and signs off (its officers see the case too)' })
  reportsToDepartmentCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) processInstanceId!: string | null;
  @ApiProperty({ nullable: true, type: String }) processDefinitionId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The BPMN 2.0 XML of the definition the case runs on' }) bpmnXml!: string | null;
  @ApiProperty({ type: String, isArray: true, description: 'The activities the case is at now (for highlighting the diagram)' }) activeActivityIds!: string[];
  @ApiProperty({ type: CaseViewOpinionDto, isArray: true }) opinions!: CaseViewOpinionDto[];
  @ApiProperty({ type: CaseActionDto, isArray: true, description: 'Returns, transfers, take-backs, suspensions, resumptions (oldest first)' }) actions!: CaseActionDto[];
  @ApiProperty({ type: CaseViewSuspensionDto, isArray: true }) suspensions!: CaseViewSuspensionDto[];
  @ApiProperty({ type: CaseViewDocumentDto, isArray: true, description: 'Documents approval issued for the case (its decision, and a revocation of it), in the order issued' }) documents!: CaseViewDocumentDto[];
  @ApiProperty({ type: CaseViewHistoryDto, isArray: true, description: "The engine's historic activity instances, oldest first" }) history!: CaseViewHistoryDto[];
  @ApiProperty({ type: CaseViewCalledInstanceDto, isArray: true, description: 'The flows the case called (上报件: the higher level\'s review in its tenant), oldest first' })
  calledInstances!: CaseViewCalledInstanceDto[];
}
