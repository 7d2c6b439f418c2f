import { ApiProperty } from '@nestjs/swagger';

export class WorkItemDto {
  @ApiProperty() taskId!: string;
  @ApiProperty({ nullable: true, description: 'Null for a step of a process approval did not start' }) caseNumber!: string | null;
  @ApiProperty() step!: string;
  @ApiProperty({ nullable: true }) name!: string | null;
  @ApiProperty({ nullable: true }) assignee!: string | null;
  @ApiProperty() openedAt!: string;
  @ApiProperty({ nullable: true }) matterName!: string | null;
}
