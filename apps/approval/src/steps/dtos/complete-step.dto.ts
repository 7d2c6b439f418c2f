import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export class CompleteStepDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'], { message: "outcome must be 'approve' or 'reject'" })
  outcome!: 'approve' | 'reject';

  /** The opinion text; required when disagreeing (outcome reject): the reasons (seed 001 text 3 art. 9). */
  @ApiPropertyOptional({
    example: '材料齐全，符合法定条件，拟同意。',
    description: "The opinion; required with outcome 'reject' (the reasons for disagreeing: 400 ReasonsRequired without them), optional with 'approve'",
  })
  @IsOptional()
  @IsString()
  @Length(2, 4000, { message: 'opinion must be 2-4000 characters: write the reasoning of the review' })
  opinion?: string;
}

export class StepCompletedDto {
  @ApiProperty() taskId!: string;
  @ApiProperty() caseNumber!: string;
  @ApiProperty() step!: string;
  @ApiProperty({ enum: ['approve', 'reject'] }) outcome!: 'approve' | 'reject';
  @ApiProperty() opinionHash!: string;
  @ApiProperty() completedAt!: string;
  @ApiPropertyOptional({ description: 'The serial of the certificate that signed the opinion' }) signerSerial?: string;
}
