import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { type PipeTransform } from '@nestjs/common';
import { IntakeErrors } from '../../../errors';
import { MATTER_CODE_PATTERN, MATTER_CODE_RULE, UNIFIED_MATTER_CODE_RULE } from '../../matter-code';
import { VERSION_STATES, type VersionState } from '../../matter-version';
import type { MatterVersionRow } from '../matter-version.entity';

const ELEMENTS_DESCRIPTION =
  'Every element of the matter (apps/intake/src/matters/matter-version.ts, MatterElementsSchema): name, kind, category, departmentCode, levels, legalBasis, materials, limits, fees, formSchema (JSON Schema 2020-12), result, consultation, complaint, onlineClass, secret, commitment, bundle, processKey';

export class DraftVersionDto {
  @ApiProperty({ example: '449900-SCJG-002', description: `The matter's code. A new matter needs a unified matter code ${UNIFIED_MATTER_CODE_RULE}` })
  @IsString({ message: `code must be a matter code: ${MATTER_CODE_RULE}` })
  @Matches(MATTER_CODE_PATTERN, { message: `code must be a matter code: ${MATTER_CODE_RULE}` })
  code!: string;

  @ApiProperty({ example: '449900', description: "The catalogue (tenant): the bureau's 6-digit division code" })
  @IsString({ message: 'tenantId must be a 6-digit division code' })
  @Matches(/^\d{6}$/, { message: 'tenantId must be a 6-digit division code, e.g. 449900' })
  tenantId!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: ELEMENTS_DESCRIPTION })
  @IsDefined({ message: 'elements is required: every element of the matter' })
  @IsObject({ message: 'elements must be an object with every element of the matter' })
  elements!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'What changes and why (at most 2000 characters)' })
  @IsOptional()
  @IsString({ message: 'note must be a string' })
  @Length(0, 2000, { message: 'note must be at most 2000 characters' })
  note?: string;
}

export class ReviseVersionDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: ELEMENTS_DESCRIPTION })
  @IsDefined({ message: 'elements is required: every element of the matter' })
  @IsObject({ message: 'elements must be an object with every element of the matter' })
  elements!: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'note must be a string' })
  @Length(0, 2000, { message: 'note must be at most 2000 characters' })
  note?: string;
}

export class StepCommentDto {
  @ApiPropertyOptional({ description: 'Opinion recorded with the step (at most 2000 characters)' })
  @IsOptional()
  @IsString({ message: 'comment must be a string' })
  @Length(0, 2000, { message: 'comment must be at most 2000 characters' })
  comment?: string;
}

export class RejectVersionDto {
  @ApiProperty({ description: 'Why the version is sent back (1-2000 characters)' })
  @IsString({ message: 'reason is required: why the version is sent back' })
  @Length(1, 2000, { message: 'reason must be 1-2000 characters' })
  reason!: string;
}

export class VersionResultDto {
  @ApiProperty() code!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: VERSION_STATES }) state!: VersionState;
}

export class VersionViewDto {
  @ApiProperty() code!: string;
  @ApiProperty() version!: number;
  @ApiProperty() tenantId!: string;
  @ApiProperty({ enum: VERSION_STATES }) state!: VersionState;
  @ApiProperty() note!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) elements!: Record<string, unknown>;
  @ApiProperty() draftedBy!: string;
  @ApiProperty() draftedByName!: string;
  @ApiProperty({ format: 'date-time' }) draftedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) submittedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) approvedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) approvedByName!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) approvedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) filedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) filedByName!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) filedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) publishedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) retiredAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) rejectionReason!: string | null;

  static of(r: MatterVersionRow): VersionViewDto {
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      code: r.code,
      version: r.version,
      tenantId: r.tenantId,
      state: r.state,
      note: r.note,
      elements: r.elements,
      draftedBy: r.draftedBy,
      draftedByName: r.draftedByName,
      draftedAt: r.draftedAt.toISOString(),
      submittedAt: iso(r.submittedAt),
      approvedBy: r.approvedBy,
      approvedByName: r.approvedByName,
      approvedAt: iso(r.approvedAt),
      filedBy: r.filedBy,
      filedByName: r.filedByName,
      filedAt: iso(r.filedAt),
      publishedAt: iso(r.publishedAt),
      retiredAt: iso(r.retiredAt),
      rejectionReason: r.rejectionReason,
    };
  }
}

export class MatterChangeViewDto {
  @ApiProperty() seq!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() version!: number;
  @ApiProperty() action!: string;
  @ApiProperty() actor!: string;
  @ApiProperty() actorLabel!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty() hash!: string;
}

export class MatterChangesDto {
  @ApiProperty({ type: MatterChangeViewDto, isArray: true }) items!: MatterChangeViewDto[];
  @ApiProperty({ description: "Whether the matter's hash chain verifies (no record edited, removed or reordered)" }) chainIntact!: boolean;
}

/** Types a `:version` path parameter: a positive integer, else a 400 naming `param.version`. */
export class VersionPipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    // The global validation pipe has already turned the text into a number (the parameter's type); NaN if it was none.
    const ok = typeof value === 'string' ? /^[1-9]\d{0,5}$/.test(value) : typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= 999_999;
    if (!ok) {
      const message = 'param.version must be a version number, a whole number 1-999999.';
      throw IntakeErrors.error('InvalidVersion', message, { field: 'param.version', fields: [{ field: 'param.version', rule: 'versionNumber', message }] });
    }
    return Number(value);
  }
}

