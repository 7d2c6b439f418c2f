import { ApiProperty } from '@nestjs/swagger';

export class WorkItemDto {
  @ApiProperty() taskId!: string;
  @ApiProperty({ nullable: true, description: 'Null for a step of a process approval did not start' }) caseNumber!: string | null;
  @ApiProperty() step!: string;
  @ApiProperty({ nullable: true }) name!: string | null;
  @ApiProperty({ nullable: true }) assignee!: string | null;
  @ApiProperty() openedAt!: string;
  @ApiProperty({ nullable: true }) matterName!: string | null;
  @ApiProperty({ nullable: true }) matterCode!: string | null;
  @ApiProperty({ enum: ['green', 'yellow', 'red'], description: 'green when open, yellow within WORKLIST_YELLOW_HOURS of the deadline, red once overdue; frozen while suspended' })
  light!: 'green' | 'yellow' | 'red';
  @ApiProperty({ nullable: true, description: 'End of the last counted working day (null for a step without a time limit)' }) deadline!: string | null;
  @ApiProperty({ nullable: true, description: 'Working days left (negative when overdue)' }) remainingWorkingDays!: number | null;
  @ApiProperty({ nullable: true }) timeLimitWorkingDays!: number | null;
  @ApiProperty({ description: "The case's clock is suspended (特殊程序): the light and remaining days stand still" }) suspended!: boolean;
}

export class LightCountsDto {
  @ApiProperty() total!: number;
  @ApiProperty() green!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() red!: number;
}

export class MatterCountsDto extends LightCountsDto {
  @ApiProperty({ nullable: true, description: 'Null for steps of processes approval did not start' }) matterCode!: string | null;
  @ApiProperty({ nullable: true }) matterName!: string | null;
}

export class WorklistCountsDto {
  @ApiProperty({ type: LightCountsDto }) byLight!: LightCountsDto;
  @ApiProperty({ type: MatterCountsDto, isArray: true }) byMatter!: MatterCountsDto[];
}
