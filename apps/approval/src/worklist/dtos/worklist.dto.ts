import { ApiProperty } from '@nestjs/swagger';

export class WorkItemDto {
  @ApiProperty() taskId!: string;
  @ApiProperty() caseNumber!: string;
  @ApiProperty() step!: string;
  @ApiProperty({ nullable: true }) name!: string | null;
  @ApiProperty({ nullable: true }) assignee!: string | null;
  @ApiProperty() openedAt!: string;
  @ApiProperty() matterName!: string;
}
