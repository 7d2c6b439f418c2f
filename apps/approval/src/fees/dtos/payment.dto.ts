import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

/** The window's confirmation that the applicant paid the fee of the case's payment notice. */
export class ConfirmPaymentDto {
  @ApiProperty({ example: 5000, minimum: 1, maximum: 10_000_000_000, description: 'The amount received, in fen: must be the total of the payment notice' })
  @IsInt({ message: 'amountFen must be a whole number of fen' })
  @Min(1, { message: 'amountFen must be positive' })
  @Max(10_000_000_000, { message: 'amountFen is out of range' })
  amountFen!: number;

  @ApiProperty({ example: 'FS-2026-0001234', description: 'The receipt number (票据号) of the payment' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9-]{2,63}$/, { message: 'receiptNumber must be 3-64 letters, digits or dashes' })
  receiptNumber!: string;
}

export class PaymentConfirmedDto {
  @ApiProperty({ format: 'uuid' }) paymentId!: string;
  @ApiProperty() caseNumber!: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ enum: ['window', 'gateway'] }) channel!: string;
  @ApiProperty() reference!: string;
  @ApiProperty() paidAt!: string;
  @ApiProperty({ enum: ['pending', 'correlated', 'too-late'], description: 'pending: the flow takes it shortly; correlated: the flow went on to the decision' }) correlation!: string;
}

export class CatalogueFeeDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() standard!: string;
  @ApiProperty({ type: Number, nullable: true }) amountFen!: number | null;
  @ApiProperty() basis!: string;
  @ApiProperty() payment!: string;
}

export class CaseFeesDto {
  @ApiProperty() caseNumber!: string;
  @ApiProperty({ type: [CatalogueFeeDto], description: "The matter version's catalogue fees (the codes a fee determination names)" }) catalogue!: CatalogueFeeDto[];
  @ApiPropertyOptional({ description: "The handler's determination (items, totalFen, paymentDays, determinedBy, determinedAt)", type: Object, nullable: true }) determination!: Record<string, unknown> | null;
  @ApiPropertyOptional({ description: 'The payment request (items, totalFen, period, deadline, requestedAt, status)', type: Object, nullable: true }) request!: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: PaymentConfirmedDto, nullable: true }) payment!: PaymentConfirmedDto | null;
}
