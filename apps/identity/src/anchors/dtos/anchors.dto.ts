import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';

const LEDGER = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;
// A partition is printable text without NUL or lone surrogates (what the ledger stores unchanged).
const PARTITION = /^[^\p{Cc}\p{Cs}]+$/u;

export class AnchorHeadDto {
  @IsString() @Matches(LEDGER) ledger!: string;
  @IsString() @Length(1, 200) @Matches(PARTITION) partition!: string;
  @IsString() @Matches(/^[1-9]\d{0,17}$/) seq!: string;
  @IsString() @Matches(/^[0-9a-f]{64}$/) hash!: string;
}

export class SubmitAnchorsDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => AnchorHeadDto) heads!: AnchorHeadDto[];
}

export class AnchorsQueryDto {
  @IsString() @Matches(LEDGER) ledger!: string;
  @IsOptional() @IsString() @Length(1, 200) @Matches(PARTITION) partition?: string;
  /** Keyset: partitions after this one. */
  @IsOptional() @IsString() @Length(1, 200) @Matches(PARTITION) after?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class ReanchorDto {
  @IsString() @Matches(/^identity\.audit$/) ledger!: string;
  /** Why the break is acknowledged (what happened, who checked): kept in the signed, audited record. */
  @IsString() @Length(10, 1000) reason!: string;
}
