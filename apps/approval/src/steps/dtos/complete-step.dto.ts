import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';

export class CompleteStepDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'], { message: "outcome must be 'approve' or 'reject'" })
  outcome!: 'approve' | 'reject';

  @ApiProperty({ example: '材料齐全，符合法定条件，拟同意。' })
  @IsString()
  @Length(2, 4000, { message: 'opinion must be 2-4000 characters: write the reasoning of the review' })
  opinion!: string;
}

export class StepCompletedDto {
  @ApiProperty() taskId!: string;
  @ApiProperty() caseNumber!: string;
  @ApiProperty() step!: string;
  @ApiProperty({ enum: ['approve', 'reject'] }) outcome!: 'approve' | 'reject';
  @ApiProperty() opinionHash!: string;
  @ApiProperty() completedAt!: string;
}
