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

/**
 * The repair path names exactly what it acknowledges: identity's audit ledger only (the chains other services keep
 * are repaired by them, never acknowledged here), and the break as verification reports it (partition and seq), so
 * a break that appears between looking and acknowledging is not acknowledged unseen.
 */
export class ReanchorDto {
  @IsString() @Matches(/^identity\.audit$/, { message: 'ledger must be identity.audit: only the audit trail is re-anchored here' }) ledger!: string;
  /** The partition of the break being acknowledged (`firstBroken.partition` of GET /audit/verify). */
  @IsString() @Length(1, 200) @Matches(PARTITION) partition!: string;
  /** The seq of the break being acknowledged (`firstBroken.seq` of GET /audit/verify). */
  @IsString() @Matches(/^[1-9]\d{0,17}$/, { message: 'seq must be the seq of the break (firstBroken.seq of GET /audit/verify)' }) seq!: string;
  /** Why the break is acknowledged (what happened, who checked): kept in the signed, audited record. */
  @IsString() @Length(10, 1000) reason!: string;
}
