import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';

/** One fee item of the handler's determination (核定收费): a catalogue fee of the case's matter and its amount. */
export class FeeItemDto {
  @ApiProperty({ example: 'F1', description: "The catalogue fee's code for this case (F1, F2 ... in the matter version's catalogue order; GET /cases/:caseNumber/fees lists them)" })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'code must be a catalogue fee code (F1, F2 ...)' })
  code!: string;

  @ApiProperty({ example: 5000, minimum: 0, maximum: 10_000_000_000, description: "The amount in fen: the catalogue's amount for a fixed fee, the amount the handler determined for a variable one" })
  @IsInt({ message: 'amountFen must be a whole number of fen' })
  @Min(0, { message: 'amountFen must not be negative' })
  @Max(10_000_000_000, { message: 'amountFen is out of range' })
  amountFen!: number;
}

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

  /**
   * The fee determination at the handler's review (核定收费, seed 001 text 3 art. 13): required when approving a case
   * whose matter has catalogue fees ([] states that none is due), refused at other steps.
   */
  @ApiPropertyOptional({ type: [FeeItemDto], description: "The fees due (handler's review only; [] when none is due): each a catalogue fee of the case at its amount" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => FeeItemDto)
  fees?: FeeItemDto[];

  /** The payment period in days, when not the default the flow gives (art. 13: the handler determines 缴费的期限). */
  @ApiPropertyOptional({ minimum: 1, maximum: 90, description: 'Days the applicant has to pay, when not the default period (FEE_PAYMENT_PERIOD)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  paymentDays?: number;
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
